package se.kompetensmal.hrfiles;

import se.kompetensmal.web.FieldProblem;
import se.kompetensmal.web.InvalidFields;

import java.util.List;

/** A column mapping or pick-up setting that cannot be saved as sent: 422 with each problem in Swedish. */
public class HrSettingsRefused extends InvalidFields {

    public HrSettingsRefused(List<FieldProblem> problems) {
        super(problems);
    }

    public HrSettingsRefused(String field, String message) {
        this(List.of(new FieldProblem(field, message)));
    }
}
