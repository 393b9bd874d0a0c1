package se.kompetensmal.authoring;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import se.kompetensmal.catalog.ModuleRules;
import se.kompetensmal.web.LocatedProblems;
import se.kompetensmal.web.Problem;

import java.util.List;

/**
 * A module that cannot be published or imported as it is: every problem the one validator ({@link ModuleRules}) found,
 * each naming its place (a page or question of the editor, a file and line of a zip), so that all can be fixed in one go.
 * 422; the API's problem document lists them under {@code problems}, the editor's pages link each to its place.
 */
public class ModuleInvalid extends HttpStatusException implements LocatedProblems {

    private final List<ModuleRules.Problem> problems;

    public ModuleInvalid(String message, List<ModuleRules.Problem> problems) {
        super(HttpStatus.UNPROCESSABLE_ENTITY, message);
        this.problems = List.copyOf(problems);
    }

    public List<ModuleRules.Problem> problems() {
        return problems;
    }

    @Override
    public List<Problem.Located> located() {
        return problems.stream().map(p -> new Problem.Located(p.where(), p.message())).toList();
    }
}
