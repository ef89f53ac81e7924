-- The interpreter's answer deadline is a rule of the booking workflow, in Go
-- (scheduler.AnswerDue, with its table tests): the store writes the due time
-- it is given. Nothing calls the SQL function of 010_portal.sql any more.
drop function interpreter_answer_due(timestamptz, timestamptz);
