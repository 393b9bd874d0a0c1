package se.kompetensmal.registration;

import se.kompetensmal.web.FieldProblem;
import se.kompetensmal.web.InvalidFields;

import java.util.List;

/** A registration (or its evidence, or a voiding) that cannot be saved as sent: every field at fault (see InvalidFields). */
public class RegistrationInvalid extends InvalidFields {

    public RegistrationInvalid(List<FieldProblem> problems) {
        super(problems);
    }

    public static RegistrationInvalid of(String field, String message) {
        return new RegistrationInvalid(List.of(new FieldProblem(field, message)));
    }
}
