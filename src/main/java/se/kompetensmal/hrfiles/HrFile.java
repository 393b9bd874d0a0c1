package se.kompetensmal.hrfiles;

import se.kompetensmal.roster.CsvReader;
import se.kompetensmal.roster.RosterImportKind;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HR file as it comes, read in its encoding and through the organisation's column mapping: what its headers become
 * ({@link #layout}), its first rows as the import will read them ({@link #preview}), and the canonical file the roster
 * import takes ({@link #writeCanonical}): UTF-8, semicolons, our header names.
 *
 * <p>The canonical file keeps every column and every row of the original, in order, so that the import reports its
 * rows and field counts exactly as the user sees them in their own file: a column that is not used is renamed (and so
 * ignored by the import), and a blank line stays a blank line.
 */
public final class HrFile {

    /** How many rows the preview shows. */
    public static final int PREVIEW_ROWS = 5;
    private static final String UNUSED_PREFIX = "anvands_inte_";

    private HrFile() {
    }

    /** One column of their file: its header as written, and the field of ours it fills (null: not used). */
    public record Column(int number, String header, String field, String fieldLabel) {
        public boolean used() {
            return field != null;
        }
    }

    /**
     * What the headers become. {@code missing}: the required fields no column fills, as people call them;
     * {@code conflicts}: fields two columns fill. Either stops the import. {@code mapped}: a people file, whose headers
     * are mapped onto our fields; other files are read with their headers as they are.
     */
    public record Layout(List<Column> columns, List<String> missing, List<String> conflicts, boolean mapped) {
        public boolean importable() {
            return missing.isEmpty() && conflicts.isEmpty();
        }

        /** The fields filled, in the order of our field list, for a preview table. */
        public List<Column> usedInOrder() {
            if (!mapped) {
                return columns;
            }
            List<Column> used = new ArrayList<>();
            for (HrFields.Field f : HrFields.PEOPLE) {
                columns.stream().filter(c -> f.name().equals(c.field())).findFirst().ifPresent(used::add);
            }
            columns.stream().filter(c -> c.used() && HrFields.field(c.field()) == null).forEach(used::add);
            return used;
        }
    }

    /** The layout and the first rows, each as the values of {@link Layout#usedInOrder()}. */
    public record Preview(Layout layout, List<List<String>> rows, char delimiter) {
        public String delimiterSv() {
            return switch (delimiter) {
                case ';' -> "semikolon";
                case '\t' -> "tabb";
                default -> "komma";
            };
        }
    }

    /**
     * What each header becomes. In a people file a header in the mapping becomes its field, and a header that already is
     * one of ours (any case, with or without å, ä, ö: "Förnamn", "fornamn") stays it; anything else is not used. The
     * other kinds of file have no mapping: their headers are read as they are.
     */
    public static Layout layout(List<String> rawHeader, RosterImportKind kind, Map<String, String> mapping) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < rawHeader.size(); i++) {
            String header = rawHeader.get(i).strip();
            if (kind != RosterImportKind.PEOPLE) {
                columns.add(new Column(i + 1, header, CsvReader.normalise(header), header));
                continue;
            }
            String field = mapping.get(HrFields.key(header));
            if (field == null && HrFields.field(CsvReader.normalise(header)) != null) {
                field = CsvReader.normalise(header);
            }
            HrFields.Field known = HrFields.field(field);
            columns.add(new Column(i + 1, header, known == null ? null : field, known == null ? null : known.labelSv()));
        }
        if (kind != RosterImportKind.PEOPLE) {
            return new Layout(columns, List.of(), List.of(), false);
        }
        List<String> missing = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Map<String, List<String>> byField = new LinkedHashMap<>();
        columns.stream().filter(Column::used).forEach(c -> byField.computeIfAbsent(c.field(), f -> new ArrayList<>()).add(c.header()));
        for (HrFields.Field f : HrFields.PEOPLE) {
            if (f.required() && !byField.containsKey(f.name())) {
                missing.add(f.labelSv());
            }
            List<String> headers = byField.getOrDefault(f.name(), List.of());
            if (headers.size() > 1) {
                conflicts.add("Fältet " + f.labelSv() + " fylls av flera kolumner: «" + String.join("», «", headers)
                        + "». Bara en av dem kan användas.");
            }
        }
        if (HrFields.IDENTITY.stream().noneMatch(byField::containsKey)) {
            missing.add("minst ett av HSA-id, Anställningsnummer och E-post (det som identifierar personen)");
        }
        return new Layout(columns, missing, conflicts, true);
    }

    /** The header and the first {@code rows} rows; a file that cannot be read so far throws with the row at fault. */
    public static Preview preview(InputStream in, FileEncoding encoding, RosterImportKind kind, Map<String, String> mapping,
                                  int rows) throws IOException {
        try (CsvReader csv = new CsvReader(encoding.reader(in))) {
            Layout layout = layout(csv.rawHeader(), kind, mapping);
            List<Column> shown = layout.usedInOrder();
            List<List<String>> values = new ArrayList<>();
            for (CsvReader.Row row = csv.next(); row != null && values.size() < rows; row = csv.next()) {
                List<String> line = new ArrayList<>();
                for (Column c : shown) {
                    line.add(row.get(csv.header().get(c.number() - 1)));
                }
                values.add(line);
            }
            return new Preview(layout, values, csv.delimiter());
        }
    }

    /**
     * Writes the canonical file: our header names for the columns used, every other column renamed so that the import
     * passes it by, and each row with the same fields as in the original. Throws when the file cannot be read.
     */
    public static Layout writeCanonical(InputStream in, FileEncoding encoding, RosterImportKind kind, Map<String, String> mapping,
                                        OutputStream out) throws IOException {
        try (CsvReader csv = new CsvReader(encoding.reader(in))) {
            Layout layout = layout(csv.rawHeader(), kind, mapping);
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            List<String> header = new ArrayList<>();
            for (Column c : layout.columns()) {
                header.add(kind != RosterImportKind.PEOPLE ? c.header() : c.used() ? c.field() : UNUSED_PREFIX + c.number());
            }
            writeRecord(writer, header);
            List<String> keys = csv.header();
            int written = 1;
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                // A blank line of the original is a blank line here, so that row numbers in the report are theirs.
                for (; written < row.number() - 1; written++) {
                    writer.write('\n');
                }
                List<String> fields = new ArrayList<>(row.fieldCount());
                for (int i = 0; i < row.fieldCount(); i++) {
                    fields.add(i < keys.size() ? row.values().getOrDefault(keys.get(i), "") : "");
                }
                writeRecord(writer, fields);
                written++;
            }
            writer.flush();
            return layout;
        }
    }

    private static void writeRecord(Writer writer, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                writer.write(';');
            }
            String value = fields.get(i);
            if (value.indexOf(';') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0
                    || value.indexOf(',') >= 0) {
                writer.write('"');
                writer.write(value.replace("\"", "\"\""));
                writer.write('"');
            } else {
                writer.write(value);
            }
        }
        writer.write('\n');
    }

    /** The mapping as the layout takes it; none for files other than people files. */
    static Map<String, String> mappingFor(RosterImportKind kind, ColumnMapping mapping) {
        return kind == RosterImportKind.PEOPLE ? mapping.byKey() : new HashMap<>();
    }
}
