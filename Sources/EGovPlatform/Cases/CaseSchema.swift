import Fluent

extension SchemaBuilder {
    /// The columns the case runtime keeps on a module's case table (`CaseRecord`), with the unit paths
    /// its predicates read.
    public func caseColumns() -> Self {
        field("version", .int, .required).field("state", .string, .required).field("step_id", .string, .required)
            .field("status", .string, .required).field("holder_positions", .string).field("holder_unit_path", .string)
            .field("holder_applicant", .bool, .required).field("assignee_id", .uuid).field("assignee_name", .string)
            .field("due_at", .datetime).field("step_due_at", .datetime).field("clock_paused", .bool, .required)
            .field("paused_late", .bool, .required).field("finished_at", .datetime).field("finished_late", .bool)
            .field("received_at", .datetime).field("updated_at", .datetime, .required)
            .field("receiving_unit_path", .string, .required).field("competent_unit_path", .string, .required)
            .field("consulted_unit_path", .string)
    }

    /// A case history table (`CaseHistory`): `caseColumn` names the case row in `caseSchema`.
    public func caseHistoryColumns(caseColumn: String, caseSchema: String) -> Self {
        id().field(.string(caseColumn), .uuid, .required, .references(caseSchema, "id", onDelete: .cascade))
            .field("seq", .int, .required).field("action_id", .string, .required).field("action_name", .string, .required)
            .field("from_step", .string).field("to_step", .string, .required).field("to_step_name", .string, .required)
            .field("status", .string, .required).field("actor_id", .uuid).field("actor_name", .string, .required)
            .field("actor_unit_code", .string).field("at", .datetime, .required).field("note", .string)
            .field("assignee_name", .string).field("step_on_time", .bool).field("files", .string, .required)
            .unique(on: .string(caseColumn), "seq")
    }
}
