package se.kompetensmal.roster;

/** Where a placement came from: an HR file, SCIM provisioning, or by hand. Each source ends only the placements it brought. */
public enum PlacementSource {
    IMPORT, SCIM, MANUAL
}
