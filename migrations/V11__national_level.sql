-- A national (or county) level above the huvudmän, for views over many organisations such as the routine matrix.
ALTER TABLE org_node DROP CONSTRAINT ck_org_node_kind;
ALTER TABLE org_node ADD CONSTRAINT ck_org_node_kind CHECK (kind IN ('NATIONAL', 'REGION', 'MUNICIPALITY', 'CITY_DISTRICT',
                                                                     'PRIVATE_PROVIDER', 'ADMINISTRATION', 'OPERATION', 'UNIT'));
