-- standards: the cases each service standard's clock runs on.
CREATE TABLE service_projects (
    project_id uuid PRIMARY KEY,
    program_id uuid NOT NULL
);
CREATE TABLE service_cases (
    case_id    uuid NOT NULL,  -- the project, or the payment request
    standard   text NOT NULL,
    project_id uuid NOT NULL,
    program_id uuid NOT NULL,
    started_on date NOT NULL,
    ended_on   date,
    PRIMARY KEY (case_id, standard)
);
CREATE INDEX service_cases_ended ON service_cases (ended_on);
CREATE INDEX service_cases_running ON service_cases (program_id) WHERE ended_on IS NULL;
CREATE INDEX service_cases_by_project ON service_cases (project_id) WHERE ended_on IS NULL;
