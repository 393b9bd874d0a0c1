package se.kompetensmal.routines;

/** The three levels of Socialstyrelsen's survey: a routine exists, is documented, is part of the management system. */
public enum DocumentationLevel {
    EXISTS("Finns"),
    DOCUMENTED("Dokumenterad"),
    MANAGEMENT_SYSTEM("Del av ledningssystemet");

    private final String labelSv;

    DocumentationLevel(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
