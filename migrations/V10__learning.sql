-- Taking modules: where each learner is in a module, their assessment attempts and the answers saved as they go,
-- the time spent, and each account's language.

ALTER TABLE user_account
    ADD COLUMN language CHAR(2) NOT NULL DEFAULT 'sv',
    ADD CONSTRAINT ck_user_account_language CHECK (language IN ('sv', 'en'));

-- Where a learner is in a module: the version being taken (kept until it is passed, even if a newer one appears), the
-- page they are on, and the time spent, counted from one page view or saved answer to the next with long pauses capped.
CREATE TABLE module_progress (
    person_id         BIGINT      NOT NULL,
    module_code       VARCHAR(80) NOT NULL,
    module_version_id BIGINT      NOT NULL,
    page_position     INT         NOT NULL,
    seconds_spent     INT         NOT NULL DEFAULT 0,
    started_at        TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_seen_at      TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (person_id, module_code),
    CONSTRAINT fk_module_progress_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_module_progress_module FOREIGN KEY (module_version_id) REFERENCES module_version (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

ALTER TABLE completion ADD COLUMN seconds_spent INT NULL AFTER score;

-- One go at a module's assessment. Open until submitted; a passed attempt points at the completion it earned, written in
-- the same transaction, and the unique key makes sure no completion is earned twice.
CREATE TABLE assessment_attempt (
    id                BIGINT    NOT NULL AUTO_INCREMENT PRIMARY KEY,
    person_id         BIGINT    NOT NULL,
    module_version_id BIGINT    NOT NULL,
    started_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    submitted_at      TIMESTAMP NULL,
    correct_answers   INT       NULL,
    questions         INT       NULL,
    score             INT       NULL,
    passed            BOOLEAN   NULL,
    seconds_spent     INT       NULL,
    completion_id     BIGINT    NULL,
    CONSTRAINT uq_assessment_attempt_completion UNIQUE (completion_id),
    CONSTRAINT fk_attempt_person FOREIGN KEY (person_id) REFERENCES person (id),
    CONSTRAINT fk_attempt_module FOREIGN KEY (module_version_id) REFERENCES module_version (id),
    CONSTRAINT fk_attempt_completion FOREIGN KEY (completion_id) REFERENCES completion (id),
    KEY ix_attempt_person (person_id, module_version_id, submitted_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;

-- The options a learner has ticked, saved on every change so that nothing is lost if the session ends.
CREATE TABLE attempt_answer (
    attempt_id  BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    option_id   BIGINT NOT NULL,
    PRIMARY KEY (attempt_id, option_id),
    KEY ix_attempt_answer_question (attempt_id, question_id),
    CONSTRAINT fk_answer_attempt FOREIGN KEY (attempt_id) REFERENCES assessment_attempt (id),
    CONSTRAINT fk_answer_question FOREIGN KEY (question_id) REFERENCES assessment_question (id),
    CONSTRAINT fk_answer_option FOREIGN KEY (option_id) REFERENCES question_option (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_swedish_ci;
