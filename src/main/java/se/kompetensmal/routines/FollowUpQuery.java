package se.kompetensmal.routines;

import io.micronaut.http.HttpParameters;
import se.kompetensmal.web.InputProblems;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The follow-up list's query as a browser sends it ({@code ?sok=&enhet=&malgrupp=&modul=&rutin=&status=&dagar=&sortera=
 * &ordning=&sida=}), read without the framework's binding so that no value can end in English framework text. A value
 * that cannot be used is left out (its default is used) and said in Swedish in {@link #problems()}. Units, audiences,
 * modules and routines must be among those offered for the node.
 */
public record FollowUpQuery(FollowUp.Filter filter, FollowUp.Sort sort, boolean descending, int page,
                            Map<String, String> values, List<String> problems) {

    /** The choices a value must be one of. */
    public record Offered(Set<String> units, Set<String> audiences, Set<String> modules, Set<String> routines) {
    }

    static final int MAX_DAYS = 3650;

    public static FollowUpQuery read(HttpParameters parameters, Offered offered) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();

        String search = text(parameters, "sok");
        if (search != null && search.length() > FollowUp.SEARCH_MAX) {
            problems.add("Fältet 'sök' får ha högst " + FollowUp.SEARCH_MAX + " tecken; sökningen är inte gjord.");
            search = null;
        }
        keep(values, "sok", search);
        String unit = offered(parameters, "enhet", offered.units(), "Enheten finns inte här; alla enheter visas.", problems, values);
        String audience = offered(parameters, "malgrupp", offered.audiences(), "Målgruppen finns inte här; alla målgrupper visas.",
                problems, values);
        String module = offered(parameters, "modul", offered.modules(), "Modulen finns inte; alla moduler visas.", problems, values);
        String routine = offered(parameters, "rutin", offered.routines(), "Rutinen gäller inte här; alla rutiner visas.",
                problems, values);

        FollowUp.Status status = FollowUp.Status.BEHIND;
        String statusText = text(parameters, "status");
        if (statusText != null) {
            status = FollowUp.Status.ofParam(statusText).orElse(null);
            if (status == null) {
                problems.add("Värdet för 'status' ska vara försenad, förfaller snart eller alla öppna; försenade och de som "
                        + "förfaller snart visas.");
                status = FollowUp.Status.BEHIND;
            } else {
                keep(values, "status", status.param());
            }
        }

        int within = FollowUp.DEFAULT_WITHIN_DAYS;
        String days = text(parameters, "dagar");
        if (days != null) {
            Integer read = number(days);
            if (read == null) {
                problems.add(InputProblems.notReadable("withinDays", Integer.class).message());
            } else if (read < 0 || read > MAX_DAYS) {
                problems.add("Fältet '" + InputProblems.label("withinDays") + "' ska vara mellan 0 och " + MAX_DAYS + ".");
            } else {
                within = read;
                keep(values, "dagar", days);
            }
        }

        FollowUp.Sort sort = FollowUp.Sort.DUE;
        String sortText = text(parameters, "sortera");
        if (sortText != null) {
            sort = FollowUp.Sort.ofParam(sortText).orElse(null);
            if (sort == null) {
                problems.add("Listan kan inte sorteras efter '" + sortText + "'; den är sorterad efter förfallodag.");
                sort = FollowUp.Sort.DUE;
            } else {
                keep(values, "sortera", sort.param());
            }
        }
        boolean descending = false;
        String order = text(parameters, "ordning");
        if (order != null) {
            if (order.equals("fallande") || order.equals("stigande")) {
                descending = order.equals("fallande");
                keep(values, "ordning", order);
            } else {
                problems.add("Värdet för 'ordning' ska vara stigande eller fallande; listan är i stigande ordning.");
            }
        }

        int page = 1;
        String pageText = text(parameters, "sida");
        if (pageText != null) {
            Integer read = number(pageText);
            if (read == null || read < 1) {
                problems.add("Värdet för 'sida' ska vara ett sidnummer från 1 och uppåt; sida 1 visas.");
            } else {
                page = read;
            }
        }

        FollowUp.Filter filter = new FollowUp.Filter(unit == null ? null : Long.valueOf(unit), audience, module,
                routine == null ? null : Long.valueOf(routine), within, status, search);
        return new FollowUpQuery(filter, sort, descending, page, Map.copyOf(values), List.copyOf(problems));
    }

    /** The query of this list without its page (for page links and exports), starting with "?" or empty. */
    public String withoutPage() {
        return query(values);
    }

    /** The query with another page. */
    public String onPage(int number) {
        Map<String, String> with = new LinkedHashMap<>(values);
        with.put("sida", String.valueOf(number));
        return query(with);
    }

    /** The query sorted by a column: ascending, or descending when it already is sorted by it ascending. */
    public String sortedBy(FollowUp.Sort column) {
        Map<String, String> with = new LinkedHashMap<>(values);
        with.put("sortera", column.param());
        with.put("ordning", column == sort && !descending ? "fallande" : "stigande");
        return query(with);
    }

    /** The query with another status (and the same other filters), from the first page. */
    public String withStatus(FollowUp.Status status) {
        Map<String, String> with = new LinkedHashMap<>(values);
        with.remove("status");
        if (!status.param().isEmpty()) {
            with.put("status", status.param());
        }
        return query(with);
    }

    public String value(String name) {
        return values.getOrDefault(name, "");
    }

    private static String query(Map<String, String> values) {
        StringBuilder query = new StringBuilder();
        // A stable order, so that the same list has the same address.
        for (String name : List.of("sok", "enhet", "malgrupp", "modul", "rutin", "status", "dagar", "sortera", "ordning", "sida")) {
            String value = values.get(name);
            if (value != null) {
                query.append(query.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return query.toString();
    }

    private static String offered(HttpParameters parameters, String name, Set<String> offered, String problem,
                                  List<String> problems, Map<String, String> values) {
        String value = text(parameters, name);
        if (value == null) {
            return null;
        }
        if (!offered.contains(value)) {
            problems.add(problem);
            return null;
        }
        values.put(name, value);
        return value;
    }

    private static void keep(Map<String, String> values, String name, String value) {
        if (value != null && !value.isEmpty()) {
            values.put(name, value);
        }
    }

    /** The parameter's text, stripped; absent and blank are the same (an empty field of the form). */
    private static String text(HttpParameters parameters, String name) {
        String value = parameters.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Integer number(String text) {
        if (text.length() > 9 || !text.matches("-?\\d+")) {
            return text.matches("\\d{10,}") ? Integer.MAX_VALUE : null;
        }
        return Integer.valueOf(text);
    }
}
