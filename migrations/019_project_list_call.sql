-- The projects list filtered by call (a call's applications), without reading every project.
CREATE INDEX IF NOT EXISTS project_list_call ON project_list (call_id) WHERE call_id IS NOT NULL;
