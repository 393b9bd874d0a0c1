package se.kompetensmal.roster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opening an uploaded roster file and checking its header. */
final class RosterFile {

    private RosterFile() {
    }

    static CsvReader open(Path file, List<String> requiredColumns) throws IOException {
        CsvReader csv = new CsvReader(Files.newInputStream(file));
        List<String> missing = requiredColumns.stream().filter(c -> !csv.header().contains(c)).toList();
        if (!missing.isEmpty()) {
            csv.close();
            throw new CsvReader.MalformedCsvException(1, "rubrikraden saknar " + (missing.size() == 1 ? "kolumnen " : "kolumnerna ")
                    + String.join(", ", missing) + " (kolumner som krävs: " + String.join(", ", requiredColumns) + ")");
        }
        return csv;
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
