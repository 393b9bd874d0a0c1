package se.kompetensmal.roster;

import se.kompetensmal.web.FieldProblem;
import se.kompetensmal.web.InvalidFields;

import java.util.List;

/**
 * A change to people that breaks a roster rule (no identity, an employee number used by someone else, a unit outside the
 * huvudman, the last placement ended): a Swedish message and the field at fault. Answered as 422 like other invalid
 * fields; an import reports it on the row, SCIM as its error document.
 */
public class RosterRuleViolation extends InvalidFields {

    private final String field;

    public RosterRuleViolation(String field, String message) {
        super(List.of(new FieldProblem(field, message)));
        this.field = field;
    }

    /** The field at fault: hsaId, employeeNumber, email, givenName, familyName, placements, placement, person. */
    public String field() {
        return field;
    }
}
