package se.kompetensmal.web;

import java.util.List;

/**
 * A refusal that names several places at fault, each with its own message (a module's page or question, a file and
 * line of an imported zip): the API's problem document lists them under {@code problems}, a page shows them as a list.
 */
public interface LocatedProblems {

    List<Problem.Located> located();
}
