package se.kompetensmal.roster;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * The one home of the import's size limit as a user meets it: the 413 answer with the limit in their words, and whether
 * a failure while reading an upload was the server's own limit on a request's size. Used by the import and by the
 * upload kept for a preview (hrfiles), which are bounded alike.
 */
public final class ImportSizeLimit {

    private ImportSizeLimit() {
    }

    /** 413 with the limit in MB (or kB for a small one) and what to do about it. */
    public static HttpStatusException tooLarge(long maxBytes) {
        String limit = maxBytes >= 1024 * 1024 ? maxBytes / (1024 * 1024) + " MB" : maxBytes / 1024 + " kB";
        return new HttpStatusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Filen är större än " + limit
                + ", som är det mesta som kan importeras på en gång. Dela upp den i flera filer.");
    }

    /** The server's own limit on a request's size, met while the body is read. */
    public static boolean isSizeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ContentLengthExceededException) {
                return true;
            }
        }
        return false;
    }
}
