package se.kompetensmal.browser;

import se.kompetensmal.TestSql;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** TEMPORARY until helper A's PackageIntake is merged: writes a test package straight into the store and the tables. */
final class TemporaryPublish {

    private TemporaryPublish() {
    }

    static String publish(TestSql sql, String dir, byte[] zip, String code, String title, long owner, String audience)
            throws IOException {
        String key;
        try {
            key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Path folder = Path.of(dir).toAbsolutePath().resolve(key);
        String manifest = null;
        int files = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                Path file = folder.resolve(e.getName());
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
                files++;
                if (e.getName().equals("imsmanifest.xml")) {
                    manifest = new String(bytes, StandardCharsets.UTF_8);
                }
            }
        }
        boolean v12 = manifest.contains("<schemaversion>1.2<");
        String identifier = first(manifest, "<manifest identifier=\"([^\"]+)\"");
        sql.update("INSERT INTO catalogue_module (code, source, owner_org_id, package_identifier) VALUES (?, 'PACKAGE', ?, ?)",
                code, owner, identifier);
        sql.update("""
                INSERT INTO module_version (module_code, version, title, summary, estimated_minutes, pass_mark, content_hash)
                VALUES (?, 1, ?, 'Ett testpaket.', 10, 0, ?)""", code, title, key);
        long version = sql.number("SELECT id FROM module_version WHERE module_code = ?", code);
        sql.update("INSERT INTO module_version_audience (module_version_id, audience_id) SELECT ?, id FROM audience WHERE code = ?",
                version, audience);
        sql.update("""
                INSERT INTO package_version (module_version_id, scorm_version, manifest_identifier, storage_key, file_count, total_bytes)
                VALUES (?, ?, ?, ?, ?, ?)""", version, v12 ? "1.2" : "2004-4", identifier, key, files, zip.length);
        Matcher items = Pattern.compile("<item identifier=\"([^\"]+)\" identifierref=\"res-([^\"]+)\">\\s*<title>([^<]+)</title>"
                + "(?:\\s*<adlcp:masteryscore>(\\d+)</adlcp:masteryscore>)?(?:(?:(?!</item>).)*?<imsss:minNormalizedMeasure>([^<]+)<)?",
                Pattern.DOTALL).matcher(manifest);
        int position = 0;
        while (items.find()) {
            position++;
            sql.update("""
                    INSERT INTO package_item (module_version_id, position, depth, item_identifier, title, kind, launch_href,
                                              mastery_score, scaled_passing_score)
                    VALUES (?, ?, 0, ?, ?, 'SCO', ?, ?, ?)""", version, position, items.group(1), items.group(3),
                    items.group(2) + ".html", items.group(4), items.group(5));
        }
        return code;
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(regex);
        }
        return m.group(1);
    }
}
