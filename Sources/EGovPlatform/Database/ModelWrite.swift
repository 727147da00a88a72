import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// A model inserted or updated in one short statement, `INSERT INTO t (a, b, …) VALUES ($1, $2, …)` and
/// `UPDATE t SET a = $1 WHERE id = $2`, with what Fluent's `create` and `update` leave behind: the model is stored, its
/// fields hold what was written and nothing is pending. Fluent builds the statement through its query converter, a
/// column, an identifier and a value expression per field, every time: with the dossier's 44 columns that was a
/// large share of a submission's CPU (issue 15). The column list of a model's insert is built once per model type.
///
/// For models without `@Timestamp` fields and without model middleware (none is configured); a model with
/// timestamps goes through Fluent's own `create` and `update`, which touch them.
public enum ModelWrite {
    /// Inserts `model` (a UUID key left empty is generated, as Fluent does). Afterwards the model is stored, as after
    /// `create(on:)`.
    public static func create<M: Model>(_ model: M, on db: any Database) async throws {
        var batch = WriteBatch()
        try create(model, in: &batch)
        try await batch.run(on: db)
    }

    /// `create`, as one statement of `batch`: the model is stored once the batch is written.
    public static func create<M: Model>(_ model: M, in batch: inout WriteBatch) throws {
        let shape = Shapes.shared.shape(of: model)
        guard shape.plain else { return batch.add(apart: { try await model.create(on: $0) }) }
        if model.id == nil {
            // A random UUID, as Fluent's `@ID(key: .id)` generates it; any other key is Fluent's to make.
            guard let generated = UUID() as? M.IDValue else { return batch.add(apart: { try await model.create(on: $0) }) }
            model.id = generated
        }
        // Every field, unset ones as the column's default, as Fluent sends an SQL insert.
        let input = OrderedInput(wantsUnmodifiedKeys: true)
        model.input(to: input)
        let columns = input.keys == shape.insertKeys ? shape.insertColumns : Shapes.columnList(input.keys)
        batch.add(Insert(table: shape.table, columns: columns, values: try input.values.map(expression))) {
            try model.output(from: Written(input))
        }
    }

    /// Writes the model's changed fields to its row, as `update(on:)` does; nothing when nothing changed.
    public static func update<M: Model>(_ model: M, on db: any Database) async throws {
        var batch = WriteBatch()
        try update(model, in: &batch)
        guard !batch.isEmpty else { return }
        try await batch.run(on: db)
    }

    /// `update`, as one statement of `batch` (none when nothing changed): nothing is pending once the batch is written.
    public static func update<M: Model>(_ model: M, in batch: inout WriteBatch) throws {
        let shape = Shapes.shared.shape(of: model)
        guard shape.plain else { return batch.add(apart: { try await model.update(on: $0) }) }
        guard model._$idExists, let id = model.id else { throw Refusal("ModelWrite.update needs a stored model") }
        guard model.hasChanges else { return }
        let input = OrderedInput(wantsUnmodifiedKeys: false)
        model.input(to: input)
        let assignments = try zip(input.keys, input.values).map { key, value -> any SQLExpression in
            SQLBinaryExpression(SQLRaw(Shapes.quoted(key)), .equal, try expression(value))
        }
        batch.add(Update(table: shape.table, assignments: assignments, idColumn: shape.idColumn, id: SQLBind(id))) {
            try model.output(from: Written(input))
        }
    }

    /// Inserts a new model or updates a stored one, as `save(on:)` does.
    public static func save<M: Model>(_ model: M, on db: any Database) async throws {
        if model._$idExists { try await update(model, on: db) } else { try await create(model, on: db) }
    }

    /// One value as Fluent's SQL converter writes it.
    static func expression(_ value: DatabaseQuery.Value) throws -> any SQLExpression {
        switch value {
        case .bind(let encodable):
            if let optional = encodable as? any AnyOptionalType, optional.wrappedValue == nil { return SQLLiteral.null }
            return SQLBind(encodable)
        case .null: return SQLLiteral.null
        case .default: return SQLLiteral.default
        case .enumCase(let string): return SQLLiteral.string(string)
        case .custom(let custom):
            guard let expression = custom as? any SQLExpression else { throw Refusal("ModelWrite: a custom value that is not SQL") }
            return expression
        case .array, .dictionary: throw Refusal("ModelWrite: nested fields are not written by ModelWrite")
        }
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// What a model type's statements need, worked out once per type.
private final class Shapes: Sendable {
    static let shared = Shapes()

    struct Shape: Sendable {
        /// The quoted table name and key column.
        let table: String
        let idColumn: String
        /// No `@Timestamp` field: the model can be written without Fluent touching it first.
        let plain: Bool
        /// The fields of an insert, in the order `input(to:)` gives them, and their quoted column list.
        let insertKeys: [FieldKey]
        let insertColumns: String
    }

    private let shapes = NIOLockedValueBox<[ObjectIdentifier: Shape]>([:])

    func shape<M: Model>(of _: M) -> Shape {
        if let known = shapes.withLockedValue({ $0[ObjectIdentifier(M.self)] }) { return known }
        let input = OrderedInput(wantsUnmodifiedKeys: true)
        M().input(to: input)
        let timestamped = M().properties.contains { String(reflecting: type(of: $0)).hasPrefix("FluentKit.TimestampProperty<") }
        let shape = Shape(table: Self.quoted(M.schema), idColumn: Self.quoted(M()._$id.key), plain: !timestamped && M.space == nil,
                          insertKeys: input.keys, insertColumns: Self.columnList(input.keys))
        shapes.withLockedValue { $0[ObjectIdentifier(M.self)] = shape }
        return shape
    }

    /// Quoted as both PostgreSQL and SQLite quote identifiers.
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    static func quoted(_ key: FieldKey) -> String { quoted(key.description) }
    static func columnList(_ keys: [FieldKey]) -> String { keys.map(quoted).joined(separator: ", ") }
}

/// A model's input in the order its properties give it.
private final class OrderedInput: DatabaseInput {
    let wantsUnmodifiedKeys: Bool
    private(set) var keys: [FieldKey] = []
    private(set) var values: [DatabaseQuery.Value] = []

    init(wantsUnmodifiedKeys: Bool) { self.wantsUnmodifiedKeys = wantsUnmodifiedKeys }

    func set(_ value: DatabaseQuery.Value, at key: FieldKey) {
        keys.append(key)
        values.append(value)
    }
}

/// The written values read back into the model (FluentKit's own `SavedInput`, which is internal): the fields hold what
/// was written and nothing is pending. A column left to its default is not read back, as in Fluent.
private struct Written: DatabaseOutput {
    let values: [FieldKey: DatabaseQuery.Value]

    init(_ input: OrderedInput) {
        var values: [FieldKey: DatabaseQuery.Value] = [:]
        for (key, value) in zip(input.keys, input.values) {
            if case .default = value { continue }
            values[key] = value
        }
        self.values = values
    }

    func schema(_ schema: String) -> any DatabaseOutput { self }
    func contains(_ key: FieldKey) -> Bool { values[key] != nil }
    func nested(_ key: FieldKey) throws -> any DatabaseOutput { throw ModelWrite.Refusal("ModelWrite: no nested fields") }

    func decodeNil(_ key: FieldKey) throws -> Bool {
        guard let value = values[key] else { throw FluentError.missingField(name: key.description) }
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        guard let value = values[key] else { throw FluentError.missingField(name: key.description) }
        switch value {
        case .bind(let encodable):
            if let decoded = encodable as? T { return decoded }
        case .enumCase(let string):
            if let decoded = string as? T { return decoded }
        default: break
        }
        throw FluentError.invalidField(name: key.description, valueType: T.self,
                                       error: ModelWrite.Refusal("ModelWrite: \(key) was not written as \(T.self)"))
    }

    var description: String { values.description }
}

/// `INSERT INTO table (columns) VALUES (values)`.
private struct Insert: SQLExpression {
    let table: String
    let columns: String
    let values: [any SQLExpression]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("INSERT INTO \(table) (\(columns)) VALUES (")
        SQLList(values).serialize(to: &serializer)
        serializer.write(")")
    }
}

/// `UPDATE table SET assignments WHERE idColumn = id`.
private struct Update: SQLExpression {
    let table: String
    let assignments: [any SQLExpression]
    let idColumn: String
    let id: SQLBind

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("UPDATE \(table) SET ")
        SQLList(assignments).serialize(to: &serializer)
        serializer.write(" WHERE \(idColumn) = ")
        id.serialize(to: &serializer)
    }
}
