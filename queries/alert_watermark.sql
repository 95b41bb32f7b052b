-- How far post-upgrade alert checks of one scope (a cluster name, or '*' for every cluster) have
-- read audit_events.ingested_at. checked = 0: never checked, start from the look-back instead.
SELECT
    count() AS checked,
    max(watermark) AS watermark
FROM alert_watermarks
WHERE scope = {scope:String}
