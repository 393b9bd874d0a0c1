package se.kompetensmal.authoring;

import io.micronaut.core.annotation.Nullable;
import se.kompetensmal.organization.OrgNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The owner a coordinator picks for a new own module or package: one of the nodes they may own modules at, or "everyone"
 * for a system-wide administrator. One form field, the same on the editor's and the package upload's pages.
 */
public final class OwnerChoice {

    /** The form value for a module for every organisation, as the shipped ones are. */
    public static final String EVERYONE = "alla";

    private OwnerChoice() {
    }

    /** The select's options, the chosen one (else the first) selected. */
    public static List<Map<String, Object>> options(List<OrgNode> owners, boolean everyone, @Nullable String chosen) {
        List<Map<String, Object>> options = new ArrayList<>();
        boolean first = chosen == null || chosen.isBlank();
        for (OrgNode node : owners) {
            options.add(Map.of("value", String.valueOf(node.id()), "label", node.name() + " (" + node.kindSv() + ")",
                    "selected", first || String.valueOf(node.id()).equals(chosen)));
            first = false;
        }
        if (everyone) {
            options.add(Map.of("value", EVERYONE, "label", "Alla organisationer (som de nationella modulerna)",
                    "selected", EVERYONE.equals(chosen)));
        }
        return options;
    }
}
