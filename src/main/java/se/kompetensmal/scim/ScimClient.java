package se.kompetensmal.scim;

/** Who is calling SCIM: a token of one organisation, which reaches that node and everything under it. */
public record ScimClient(long tokenId, long orgNodeId, String tokenName) {

    /** How the caller is named in the audit log and on what it writes (ended_by, audit actor). */
    public String actor() {
        return "SCIM: " + tokenName;
    }
}
