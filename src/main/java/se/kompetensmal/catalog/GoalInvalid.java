package se.kompetensmal.catalog;

import se.kompetensmal.web.FieldProblem;
import se.kompetensmal.web.InvalidFields;

import java.util.List;

/** An own competence goal that cannot be saved as typed: every field at fault (see InvalidFields). */
public class GoalInvalid extends InvalidFields {

    public GoalInvalid(List<FieldProblem> problems) {
        super(problems);
    }
}
