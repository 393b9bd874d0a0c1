package se.kompetensmal.scorm;

/** The SCORM edition a package is written for, as stored in {@code package_version.scorm_version}. */
public enum ScormVersion {
    SCORM_12("1.2", "SCORM 1.2"),
    SCORM_2004_2("2004-2", "SCORM 2004, 2:a utgåvan"),
    SCORM_2004_3("2004-3", "SCORM 2004, 3:e utgåvan"),
    SCORM_2004_4("2004-4", "SCORM 2004, 4:e utgåvan");

    private final String stored;
    private final String label;

    ScormVersion(String stored, String label) {
        this.stored = stored;
        this.label = label;
    }

    /** The value in the database. */
    public String stored() {
        return stored;
    }

    /** How a coordinator reads it. */
    public String label() {
        return label;
    }

    public boolean is2004() {
        return this != SCORM_12;
    }

    public static ScormVersion fromStored(String value) {
        for (ScormVersion v : values()) {
            if (v.stored.equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("Okänd SCORM-version: " + value);
    }
}
