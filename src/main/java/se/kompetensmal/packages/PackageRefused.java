package se.kompetensmal.packages;

/**
 * An uploaded package that is not taken, with the reason in Swedish for the coordinator. Nothing of it is stored: the
 * upload's temporary files are removed and no version is written.
 */
public class PackageRefused extends RuntimeException {

    public PackageRefused(String swedishMessage) {
        super(swedishMessage);
    }
}
