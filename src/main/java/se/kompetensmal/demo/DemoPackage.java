package se.kompetensmal.demo;

import jakarta.inject.Singleton;
import se.kompetensmal.packages.PackageIntake;
import se.kompetensmal.packages.PackageMetadata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The demo's e-learning package: a small SCORM 2004 exercise on reporting an incident, written for the demo (its files
 * are in {@code demo/paket/avvikelse-ovning}), uploaded as the region's own module through the same intake as a
 * coordinator's upload and given to the demo learner, so that the player can be tried from Min utbildning.
 */
@Singleton
class DemoPackage {

    static final String CODE = "avvikelse-ovning";
    private static final String FOLDER = "demo/paket/avvikelse-ovning/";
    private static final List<String> FILES = List.of("imsmanifest.xml", "index.html", "ovning.js", "ovning.css");

    private final PackageIntake intake;
    private final DemoAssignment assignment;

    DemoPackage(PackageIntake intake, DemoAssignment assignment) {
        this.intake = intake;
        this.assignment = assignment;
    }

    /** Publishes the package for the region as its coordinator would, and assigns it to the learner, due in a month. */
    void publish(long regionId, long learnerPersonId, long coordinatorAccountId, LocalDate today) {
        PackageMetadata particulars = new PackageMetadata("Rapportera en avvikelse – interaktiv övning", CODE,
                List.of("LICENSED"), List.of("LIC-06"), 10,
                "En kort övning i paketform: varför och hur en avvikelse rapporteras, med tre frågor att pröva sig på.");
        intake.publish(new ByteArrayInputStream(zip()), particulars, null, regionId, coordinatorAccountId);
        assignment.toLearner(regionId, learnerPersonId, CODE, today.plusDays(30), today);
    }

    private static byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : FILES) {
                try (InputStream file = DemoPackage.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
                    zip.putNextEntry(new ZipEntry(name));
                    file.transferTo(zip);
                    zip.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
