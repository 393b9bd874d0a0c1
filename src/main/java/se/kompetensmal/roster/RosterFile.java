package se.kompetensmal.roster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Opening an uploaded roster file and checking its header. */
final class RosterFile {

    private RosterFile() {
    }

    private static final Map<String, String> SWEDISH_COLUMN_NAMES = Map.of(
            "fornamn", "förnamn", "malgrupper", "målgrupper", "overordnad", "överordnad",
            "genomford", "genomförd", "kalla", "källa", "anstallningsnummer", "anställningsnummer");

    /** A column as users write it in their header row, for reports. */
    static String displayName(String column) {
        return column == null ? null : SWEDISH_COLUMN_NAMES.getOrDefault(column, column);
    }

    static CsvReader open(Path file, List<String> requiredColumns) throws IOException {
        CsvReader csv = new CsvReader(Files.newInputStream(file));
        List<String> missing = requiredColumns.stream().filter(c -> !csv.header().contains(c)).toList();
        if (!missing.isEmpty()) {
            csv.close();
            throw new CsvReader.MalformedCsvException(1, "rubrikraden saknar " + (missing.size() == 1 ? "kolumnen " : "kolumnerna ")
                    + names(missing) + " (kolumner som krävs: " + names(requiredColumns) + ")");
        }
        return csv;
    }

    private static String names(List<String> columns) {
        return String.join(", ", columns.stream().map(RosterFile::displayName).toList());
    }

    /** Counts the data rows, so that progress can be shown as a share of the whole. */
    static int countRows(Path file, List<String> requiredColumns) throws IOException {
        try (CsvReader csv = open(file, requiredColumns)) {
            int rows = 0;
            while (csv.next() != null) {
                rows++;
            }
            return rows;
        }
    }
}
