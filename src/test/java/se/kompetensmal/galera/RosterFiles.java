package se.kompetensmal.galera;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * The roster files of the run: a region with six units, and people files whose every batch has people of its own (an
 * HSA-id prefix per batch), so that what a batch's import wrote is counted in the database by that prefix.
 */
final class RosterFiles {

    static final String[] AUDIENCES = {"LICENSED", "NON_LICENSED", "LICENSED|FRONTLINE_MANAGER", "NON_LICENSED"};
    static final int UNITS = 6;

    final String region;

    RosterFiles(String region) {
        this.region = region;
    }

    String unit(int i) {
        return region + "-E" + i;
    }

    byte[] organisations() {
        StringBuilder csv = new StringBuilder("kod;namn;typ;överordnad\n" + region + ";Region Galera " + region + ";region;\n");
        for (int i = 1; i <= UNITS; i++) {
            csv.append(unit(i)).append(";Enhet ").append(i).append(";enhet;").append(region).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    String hsaPrefix(int batch) {
        // HSA-ids are SE, ten digits, a dash and up to 31 letters or digits.
        return "SE" + String.format("%010d", Long.parseLong(region.replaceAll("\\D", ""))) + "-B" + batch + "R";
    }

    /** A file of new people in batch {@code batch}, spread over the units and audiences, started within two years. */
    byte[] people(int batch, int rows) {
        StringBuilder csv = new StringBuilder(rows * 90);
        csv.append("hsa_id;förnamn;efternamn;epost;enhet;målgrupper;startdatum_organisation;startdatum_roll\n");
        LocalDate today = LocalDate.now();
        for (int i = 0; i < rows; i++) {
            String hsa = hsaPrefix(batch) + String.format("%06d", i);
            csv.append(hsa).append(";Anna").append(i % 97).append(";Galera").append(batch).append('x').append(i)
                    .append(';').append("p").append(batch).append('.').append(i).append("@galera.example")
                    .append(';').append(unit(1 + i % UNITS)).append(';').append(AUDIENCES[i % AUDIENCES.length])
                    .append(';').append(today.minusDays(i % 700)).append(";\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
