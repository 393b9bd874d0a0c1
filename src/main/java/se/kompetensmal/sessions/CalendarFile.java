package se.kompetensmal.sessions;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import se.kompetensmal.SwedishTime;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * An occasion as an iCalendar file (RFC 5545) for the learner's calendar. Times are written in UTC (the occasion's
 * Swedish time converted), which every calendar reads without a VTIMEZONE. The UID is the same for an occasion every
 * time, so downloading it again updates the event instead of adding a second one; a cancelled occasion says so.
 */
@Singleton
public class CalendarFile {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String CRLF = "\r\n";
    /** RFC 5545 3.1: lines longer than 75 octets are folded. */
    private static final int LINE_OCTETS = 75;

    private final String publicUrl;

    public CalendarFile(@Value("${kompetensmal.public-url:`http://localhost:8080`}") String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    public String of(Signups.Occasion occasion, Instant now) {
        String page = publicUrl + "/utbildning/" + occasion.moduleCode() + "/tillfallen";
        StringBuilder description = new StringBuilder("Lärarledd utbildning i Kompetensmål.");
        if (occasion.trainer() != null) {
            description.append("\nUtbildare: ").append(occasion.trainer());
        }
        if (occasion.videoUrl() != null) {
            description.append("\nVideolänk: ").append(occasion.videoUrl());
        }
        description.append("\nAnmälan och avbokning: ").append(page);
        String location = occasion.place() != null ? occasion.place() : occasion.videoUrl();
        StringBuilder file = new StringBuilder();
        line(file, "BEGIN:VCALENDAR");
        line(file, "VERSION:2.0");
        line(file, "PRODID:-//Kompetensmål//Lärarledd utbildning//SV");
        line(file, "CALSCALE:GREGORIAN");
        line(file, "METHOD:PUBLISH");
        line(file, "BEGIN:VEVENT");
        line(file, "UID:tillfalle-" + occasion.id() + "@" + host());
        line(file, "DTSTAMP:" + UTC.format(now));
        line(file, "DTSTART:" + utc(occasion.startsAt()));
        line(file, "DTEND:" + utc(occasion.endsAt()));
        line(file, "SUMMARY:" + text(occasion.title()));
        if (location != null) {
            line(file, "LOCATION:" + text(location));
        }
        line(file, "DESCRIPTION:" + text(description.toString()));
        line(file, "URL:" + page);
        line(file, "STATUS:" + (occasion.cancelled() ? "CANCELLED" : "CONFIRMED"));
        line(file, "END:VEVENT");
        line(file, "END:VCALENDAR");
        return file.toString();
    }

    private String host() {
        try {
            String host = URI.create(publicUrl).getHost();
            return host == null ? "kompetensmal" : host;
        } catch (IllegalArgumentException e) {
            return "kompetensmal";
        }
    }

    private static String utc(LocalDateTime swedish) {
        return UTC.format(swedish.atZone(SwedishTime.ZONE).toInstant());
    }

    /** RFC 5545 3.3.11: backslash, semicolon and comma escaped, a line break written as \n. */
    static String text(String value) {
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    /**
     * Appends one content line, folded so that no line is longer than 75 octets of UTF-8 (the continuation's leading
     * space counts), never inside a character.
     */
    static void line(StringBuilder file, String content) {
        int octets = 0;
        int limit = LINE_OCTETS;
        for (int i = 0; i < content.length(); ) {
            int codePoint = content.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > limit) {
                file.append(CRLF).append(' ');
                octets = 1;
            }
            file.appendCodePoint(codePoint);
            octets += size;
            i += Character.charCount(codePoint);
        }
        file.append(CRLF);
    }
}
