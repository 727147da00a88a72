import EGovCore
import Fluent
import Foundation
import Vapor

/// First start: load the initial pack into an empty database and create the `admin` account.
public struct InstallationSetup: Sendable {
    let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    public struct Outcome: Sendable {
        /// Set only when the admin account was created now.
        public var adminPassword: String?
        public var packImported: Bool
        public var demoUsersFile: URL?
    }

    public func run(on db: any Database, logger: Logger) async throws -> Outcome {
        var outcome = Outcome(adminPassword: nil, packImported: false, demoUsersFile: nil)
        let dataDirectory = services.configuration.dataDirectory
        if let pack = services.configuration.initialPack, try await UnitModel.query(on: db).count() == 0 {
            logger.info("loading the initial locality pack", metadata: ["pack": .string(pack.path)])
            let contents = try PackReader.read(pack)
            let result = try await PackImporter(services: services).importPack(contents, on: db) { step in
                logger.info("initial pack: \(step)")
            }
            outcome.packImported = true
            if !result.newCredentials.isEmpty {
                // Demo mode: the locality CA and each officer's signing certificate; the PIN is the fifth column.
                let pins = try await DemoSigning.setUp(result.newCredentials, services: services, on: db)
                // Each unit's seal: a line `seal.<unit> <unit> seal - <PIN>` (no account signs in with it).
                let lines = result.newCredentials.map { "\($0.username) \($0.unitCode) \($0.position) \($0.password) \(pins.officers[$0.username] ?? "-")" }
                    + pins.seals.sorted { $0.key < $1.key }.map { "\(DemoSigning.sealPrefix)\($0.key) \($0.key) seal - \($0.value)" }
                let file = dataDirectory.appendingPathComponent("demo-users.txt")
                try PrivateFile.write(lines.joined(separator: "\n") + "\n", to: file)
                outcome.demoUsersFile = file
            }
        }
        if try await UserModel.query(on: db).filter(\.$username == "admin").first() == nil {
            let password = RandomPassword.make()
            let admin = UserModel(username: "admin", fullName: "Quản trị hệ thống", kind: .officer, email: nil, phone: nil,
                                  passwordHash: try await services.passwords.hash(password))
            let root = try await rootUnit(on: db)
            try await db.transaction { tx in
                try await admin.create(on: tx)
                if let rootID = root?.id {
                    try await UserPositionModel(userID: try admin.requireID(), unitID: rootID, position: .admin).create(on: tx)
                }
                try await AuditLog.record(AuditEntry(actorName: "system", action: "user.create", target: "user:admin",
                                                     summary: "initial administrator"), at: services.clock.now(), on: tx)
            }
            try PrivateFile.write("username: admin\npassword: \(password)\n",
                                  to: dataDirectory.appendingPathComponent("initial-admin.txt"))
            outcome.adminPassword = password
        }
        return outcome
    }

    /// The locality's root unit (from the pack settings), or the first root of the tree.
    public func rootUnit(on db: any Database) async throws -> UnitModel? {
        if let locality = try await SettingsStore.get(LocalitySettings.self, for: .locality, on: db),
           let unit = try await UnitModel.query(on: db).filter(\.$code == locality.rootUnit).first() {
            return unit
        }
        return try await UnitModel.query(on: db).filter(\.$parent.$id == nil).sort(\.$sortOrder).first()
    }
}
