import EGovCore
import Fluent
import Foundation
import Vapor

/// Loads a checked pack into the database in one transaction: units and users are matched by code
/// and username, so importing the same pack twice changes nothing.
public struct PackImporter: Sendable {
    public struct Result: Sendable {
        public var unitsCreated = 0
        public var unitsUpdated = 0
        public var usersCreated = 0
        public var usersUpdated = 0
        /// New accounts and their first password, shown once.
        public var newCredentials: [(username: String, unitCode: String, position: String, password: String)] = []
    }

    let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    public func importPack(_ pack: PackContents, on database: any Database,
                           progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Result {
        // Hash new users' passwords before the transaction: bcrypt is slow and must not hold locks.
        // The thread pool runs them side by side.
        let existing = Set(try await UserModel.query(on: database).filter(\.$username ~~ pack.users.map(\.username)).all().map(\.username))
        let newUsers = pack.users.map(\.username).filter { !existing.contains($0) }
        if !newUsers.isEmpty { progress("passwords for \(newUsers.count) new accounts") }
        let passwords = services.passwords
        let hashed = try await withThrowingTaskGroup(of: (String, String, String).self) { group in
            for username in newUsers {
                group.addTask {
                    let plain = RandomPassword.make()
                    return (username, plain, try await passwords.hash(plain))
                }
            }
            var result: [String: (plain: String, hash: String)] = [:]
            for try await (username, plain, hash) in group { result[username] = (plain, hash) }
            return result
        }
        defer {
            services.calendars.invalidate()
            services.principals.invalidateAll()
        }
        return try await database.transaction { db in
            var result = Result()
            try await self.importSettings(pack, on: db)
            progress("units: \(pack.units.count)")
            let unitsByCode = try await self.importUnits(pack.units, into: db, result: &result)
            progress("users: \(pack.users.count)")
            try await self.importUsers(pack.users, units: unitsByCode, passwords: hashed, into: db, result: &result)
            for module in self.services.modules {
                try await module.importPack(from: pack.directory.appendingPathComponent("modules/\(module.id)"), on: db)
                try await ProcessStore.addMissing(module: module.id, module.processTemplates(), on: db)
            }
            try await AuditLog.record(
                AuditEntry(actorName: "system", action: "pack.import", target: pack.locality.code,
                           summary: "units +\(result.unitsCreated) ~\(result.unitsUpdated), users +\(result.usersCreated) ~\(result.usersUpdated)"),
                at: self.services.clock.now(), on: db)
            return result
        }
    }

    private func importSettings(_ pack: PackContents, on db: any Database) async throws {
        var branding = pack.branding
        if let emblem = pack.emblem {
            let stored = try await services.files.put(emblem, name: branding.emblemName ?? "emblem.svg",
                                                      contentType: "image/svg+xml", on: db)
            branding.emblemSHA256 = stored.sha256
        }
        try await SettingsStore.set(pack.locality, for: .locality, on: db)
        try await SettingsStore.set(branding, for: .branding, on: db)
        try await SettingsStore.set(pack.calendar, for: .calendar, on: db)
    }

    private func importUnits(_ units: [PackUnit], into db: any Database, result: inout Result) async throws -> [String: UnitModel] {
        var byCode: [String: UnitModel] = [:]
        for unit in try await UnitModel.query(on: db).all() { byCode[unit.code] = unit }
        for (index, unit) in units.enumerated() {
            let parent = unit.parentCode.flatMap { byCode[$0.value] }
            if let model = byCode[unit.code.value] {
                let moved = model.$parent.id != parent?.id
                guard moved || model.type != unit.type.rawValue || model.name != unit.name
                    || model.shortName != unit.shortName || model.sortOrder != index else { continue }
                model.type = unit.type.rawValue
                model.name = unit.name
                model.shortName = unit.shortName
                model.sortOrder = index
                model.$parent.id = parent?.id
                try await model.save(on: db)
                result.unitsUpdated += 1
                if moved { try await UnitTree.recomputePaths(on: db) }
            } else {
                let model = UnitModel(code: unit.code.value, type: unit.type, name: unit.name, shortName: unit.shortName,
                                      parent: parent, sortOrder: index)
                try await model.create(on: db)
                byCode[unit.code.value] = model
                result.unitsCreated += 1
            }
        }
        return byCode
    }

    private func importUsers(_ users: [PackUser], units: [String: UnitModel], passwords: [String: (plain: String, hash: String)],
                             into db: any Database, result: inout Result) async throws {
        for user in users {
            let model: UserModel
            if let found = try await UserModel.query(on: db).filter(\.$username == user.username).first() {
                model = found
                if model.fullName != user.fullName || model.email != user.email || model.phone != user.phone {
                    model.fullName = user.fullName
                    model.email = user.email
                    model.phone = user.phone
                    try await model.save(on: db)
                    result.usersUpdated += 1
                }
            } else {
                guard let password = passwords[user.username] else { continue }
                model = UserModel(username: user.username, fullName: user.fullName, kind: .officer,
                                  email: user.email, phone: user.phone, passwordHash: password.hash)
                try await model.create(on: db)
                result.usersCreated += 1
                let first = user.positions.first
                result.newCredentials.append((user.username, first?.unitCode ?? "-", first?.position.rawValue ?? "-", password.plain))
            }
            let userID = try model.requireID()
            let wanted = Set(user.positions.compactMap { holding in units[holding.unitCode]?.id.map { PositionKey(unitID: $0, position: holding.position.rawValue) } })
            let current = try await UserPositionModel.query(on: db).filter(\.$user.$id == userID).all()
            for row in current where !wanted.contains(PositionKey(unitID: row.$unit.id, position: row.position)) {
                try await row.delete(on: db)
            }
            let have = Set(current.map { PositionKey(unitID: $0.$unit.id, position: $0.position) })
            for key in wanted.subtracting(have) {
                guard let position = Position(rawValue: key.position) else { continue }
                try await UserPositionModel(userID: userID, unitID: key.unitID, position: position).create(on: db)
            }
        }
    }

    private struct PositionKey: Hashable { let unitID: UUID; let position: String }
}

/// Keeps the materialised paths right after a unit moves.
public enum UnitTree {
    public static func recomputePaths(on db: any Database) async throws {
        let all = try await UnitModel.query(on: db).all()
        let children = Dictionary(grouping: all, by: { $0.$parent.id })
        func walk(_ parentID: UUID?, _ path: String, _ depth: Int) async throws {
            for unit in children[parentID] ?? [] {
                guard let id = unit.id else { continue }
                let newPath = path + id.uuidString.lowercased() + "/"
                if unit.path != newPath || unit.depth != depth {
                    unit.path = newPath
                    unit.depth = depth
                    try await unit.save(on: db)
                }
                try await walk(id, newPath, depth + 1)
            }
        }
        try await walk(nil, "/", 0)
    }
}

/// Passwords handed out once (first start, new accounts): 16 characters from an alphabet without
/// look-alikes, always with letters and digits so they pass the password rule.
public enum RandomPassword {
    public static func make(length: Int = 16) -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        let digits = Array("23456789")
        var generator = SystemRandomNumberGenerator()
        var characters = (0..<(length - 2)).map { _ in (letters + digits)[Int.random(in: 0..<(letters.count + digits.count), using: &generator)] }
        characters.append(letters[Int.random(in: 0..<letters.count, using: &generator)])
        characters.append(digits[Int.random(in: 0..<digits.count, using: &generator)])
        characters.shuffle(using: &generator)
        return String(characters)
    }
}
