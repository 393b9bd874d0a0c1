package se.kompetensmal.catalog;

/** The four basic prerequisites and five focus areas of the national action plan for patient safety. */
public enum GoalArea {
    LEADERSHIP_GOVERNANCE("Engagerat ledarskap och tydlig styrning"),
    SAFETY_CULTURE("God säkerhetskultur"),
    KNOWLEDGE_COMPETENCE("Adekvat kunskap och kompetens"),
    PATIENT_COCREATION("Patienten som medskapare"),
    HARM_KNOWLEDGE("Kunskap om vårdskador som inträffat"),
    SAFE_SYSTEMS("Säkra system och processer"),
    SAFE_CARE_NOW("Säker vård här och nu"),
    ANALYSIS_LEARNING("Analys, lärande och utveckling"),
    RISK_PREPAREDNESS("Riskmedvetenhet och beredskap");

    private final String labelSv;

    GoalArea(String labelSv) {
        this.labelSv = labelSv;
    }

    public String labelSv() {
        return labelSv;
    }
}
