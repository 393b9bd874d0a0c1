package se.kompetensmal.security;

import se.kompetensmal.web.FieldProblem;
import se.kompetensmal.web.InvalidFields;

import java.util.List;

/** An account or password that cannot be saved as sent: every field at fault, in Swedish (see InvalidFields). */
public class AccountInvalid extends InvalidFields {

    public AccountInvalid(List<FieldProblem> problems) {
        super(problems);
    }

    public static AccountInvalid of(String field, String message) {
        return new AccountInvalid(List.of(new FieldProblem(field, message)));
    }
}
