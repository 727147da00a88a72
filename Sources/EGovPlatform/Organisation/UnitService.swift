import EGovCore
import Fluent
import Foundation

/// Changes to the organisation tree made by administrators (packs make the rest).
public struct UnitService: Sendable {
    let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    public enum UnitError: Error, Sendable {
        case invalid([ValidationError])
        case taken(ValidationError)
    }

    public struct Input: Sendable {
        public var code: String
        public var type: String
        public var name: String
        public var shortName: String

        public init(code: String, type: String, name: String, shortName: String) {
            self.code = code
            self.type = type
            self.name = name
            self.shortName = shortName
        }
    }

    /// Adds a unit under `parent`. The caller has checked `units.manage` on the parent.
    public func create(_ input: Input, under parent: UnitModel, actor: AuditEntry, on db: any Database) async throws -> UnitModel {
        let (code, type, name, shortName) = try validate(input)
        if try await UnitModel.query(on: db).filter(\.$code == code.value).first() != nil {
            throw UnitError.taken(ValidationError(field: "code", vi: "Mã định danh “\(code.value)” đã được dùng cho đơn vị khác.",
                                                  en: "Code “\(code.value)” is already used by another unit."))
        }
        let siblings = try await UnitModel.query(on: db).filter(\.$parent.$id == parent.id).max(\.$sortOrder) ?? 0
        let unit = UnitModel(code: code.value, type: type, name: name, shortName: shortName, parent: parent, sortOrder: siblings + 1)
        try await db.transaction { tx in
            try await unit.create(on: tx)
            var entry = actor
            entry.action = "unit.create"
            entry.target = "unit:\(code.value)"
            entry.unitCode = parent.code
            entry.summary = "\(type.rawValue) “\(name)” under \(parent.code)"
            try await AuditLog.record(entry, at: services.clock.now(), on: tx)
        }
        return unit
    }

    /// Renames a unit or changes its type; its code and place in the tree stay.
    public func update(_ unit: UnitModel, with input: Input, actor: AuditEntry, on db: any Database) async throws {
        var values = input
        values.code = unit.code
        let (_, type, name, shortName) = try validate(values)
        let before = "\(unit.type) “\(unit.name)” (\(unit.shortName))"
        unit.type = type.rawValue
        unit.name = name
        unit.shortName = shortName
        try await db.transaction { tx in
            try await unit.save(on: tx)
            var entry = actor
            entry.action = "unit.update"
            entry.target = "unit:\(unit.code)"
            entry.unitCode = unit.code
            entry.summary = "before: \(before) → after: \(type.rawValue) “\(name)” (\(shortName))"
            try await AuditLog.record(entry, at: services.clock.now(), on: tx)
        }
    }

    private func validate(_ input: Input) throws -> (ElectronicCode, UnitType, String, String) {
        var errors: [ValidationError] = []
        var code: ElectronicCode?
        do { code = try ElectronicCode(input.code.trimmingCharacters(in: .whitespaces)) } catch { errors.append(error) }
        let type = UnitType(rawValue: input.type)
        if type == nil {
            errors.append(ValidationError(field: "type", vi: "Loại đơn vị không hợp lệ.", en: "Invalid unit type."))
        }
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        if name.count < 2 { errors.append(ValidationError(field: "name", vi: "Vui lòng nhập tên đơn vị.", en: "Please enter the unit's name.")) }
        var shortName = input.shortName.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        if shortName.isEmpty { shortName = name }
        guard errors.isEmpty, let code, let type else { throw UnitError.invalid(errors) }
        return (code, type, name, shortName)
    }
}
