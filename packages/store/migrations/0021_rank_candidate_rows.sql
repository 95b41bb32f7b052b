-- The rollup rows that can carry risk for one upgrade: the filter of queries/rank_candidates.sql
-- (merged over the window for rank, per day for the report's chart).
-- A parameterised view: call it as rank_candidate_rows(from = ..., to = ..., ...); the parameters
-- are documented in queries/rank_candidates.sql. Reads audit_daily, never raw events.
CREATE VIEW IF NOT EXISTS rank_candidate_rows {{on_cluster}} AS
SELECT *
FROM audit_daily
WHERE day BETWEEN toDate({from:DateTime64(3, 'UTC')}) AND toDate({to:DateTime64(3, 'UTC')})
  AND last_seen >= {from:DateTime64(3, 'UTC')}
  AND first_seen <= {to:DateTime64(3, 'UTC')}
  AND ({cluster:String} = '' OR cluster = {cluster:String})
  AND ({all_resources:UInt8} = 1 OR resource IN {resources:Array(String)})
  AND (
        has({gvr_keys:Array(String)}, concat(api_group, '/', api_version, '/', resource))
     OR has({gvr_keys:Array(String)}, concat(api_group, '/', api_version, '/*'))
     OR (verb = 'update' AND subresource = ''
         AND has({field_objects:Array(String)}, concat(api_group, '/', resource))
         AND (client_kube_minor = 0
              OR client_kube_minor < {field_max_since:Array(UInt16)}[indexOf({field_objects:Array(String)}, concat(api_group, '/', resource))]
              OR has({override_clients:Array(String)}, client_name)))
     OR (verb IN ('create', 'update', 'patch') AND subresource = ''
         AND has({storage_objects:Array(String)}, concat(api_group, '/', resource)))
  )
