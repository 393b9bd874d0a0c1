package se.kompetensmal.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * An RFC 9457 problem document: what every API error looks like. {@code problems} names each place at fault when a
 * refusal has several (a module's page or question, a file and line): see {@link LocatedProblems}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, @Nullable String detail, @Nullable String instance,
                      List<String> errors, List<Located> problems) {

    /** One problem and where it is: "Sida 2 «Hygien»", "courses/modules/x/assessment.yml, rad 12". */
    @Serdeable
    public record Located(String where, String message) {
    }
}
