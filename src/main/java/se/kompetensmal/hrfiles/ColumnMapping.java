package se.kompetensmal.hrfiles;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The column mapping in force at a node: the headers of the organisation's HR file and the field of ours each fills.
 * {@code setAtId}/{@code setAtName}: the node it was saved for (this node or the nearest above with one), null when no
 * mapping applies (the file's headers must then be ours). {@code own}: saved for this very node.
 */
@Serdeable
public record ColumnMapping(@Nullable Long setAtId, @Nullable String setAtName, boolean own, List<Column> columns) {

    public static final ColumnMapping NONE = new ColumnMapping(null, null, false, List.of());

    /** One header of theirs and our field's name (see {@link HrFields#PEOPLE}). */
    @Serdeable
    public record Column(@Nullable String header, @Nullable String field) {

        /** The field as people call it, for pages. */
        public String fieldLabel() {
            HrFields.Field f = HrFields.field(field);
            return f == null ? field : f.labelSv();
        }
    }

    /** What the API takes: the whole mapping of the node, replacing what it had. */
    @Serdeable
    public record Change(@Nullable List<Column> columns) {
    }

    /** Our field by header key ({@link HrFields#key}). */
    public Map<String, String> byKey() {
        Map<String, String> fields = new HashMap<>();
        columns.forEach(c -> fields.put(HrFields.key(c.header()), c.field()));
        return fields;
    }
}
