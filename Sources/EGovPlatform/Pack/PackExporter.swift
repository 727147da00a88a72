import EGovCore
import Fluent
import Foundation

/// Writes the database's locality data back out as a pack that imports to the same state.
public struct PackExporter: Sendable {
    let services: PlatformServices

    public init(services: PlatformServices) { self.services = services }

    public func export(to directory: URL, on db: any Database) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard let locality = try await SettingsStore.get(LocalitySettings.self, for: .locality, on: db) else {
            throw PackError(SourceLocation(file: "pack.yaml", line: 0), vi: "Cơ sở dữ liệu chưa có gói địa phương nào.",
                            en: "The database has no locality pack loaded.")
        }
        let branding = try await SettingsStore.get(Branding.self, for: .branding, on: db) ?? .fallback
        let calendar = try await SettingsStore.get(CalendarSettings.self, for: .calendar, on: db) ?? CalendarSettings()

        if let sha = branding.emblemSHA256, let name = branding.emblemName {
            try services.files.read(sha256: sha).write(to: directory.appendingPathComponent(name))
        }
        try write(PackFile(locality: locality, branding: .init(branding)), to: directory, "pack.yaml")

        let units = try await UnitModel.query(on: db).sort(\.$sortOrder).sort(\.$code).all()
        let children = Dictionary(grouping: units, by: { $0.$parent.id })
        func node(_ unit: UnitModel) -> UnitsFile.Unit {
            let kids = (children[unit.id] ?? []).map(node)
            return .init(code: unit.code, type: unit.type, name: unit.name, shortName: unit.shortName,
                         children: kids.isEmpty ? nil : kids)
        }
        try write(UnitsFile(units: (children[nil] ?? []).map(node)), to: directory, "units.yaml")

        let codes = Dictionary(uniqueKeysWithValues: units.compactMap { unit in unit.id.map { ($0, unit.code) } })
        let officers = try await UserModel.query(on: db).filter(\.$kind == UserModel.Kind.officer.rawValue)
            .filter(\.$username !~ Array(PackReader.reservedUsernames)).with(\.$positions).sort(\.$username).all()
        let users = officers.map { user in
            UsersFile.User(username: user.username, fullName: user.fullName, email: user.email, phone: user.phone,
                           positions: user.positions
                               .map { UsersFile.Holding(unit: codes[$0.$unit.id] ?? "", position: $0.position) }
                               .sorted { ($0.unit, $0.position) < ($1.unit, $1.position) })
        }
        try write(UsersFile(users: users), to: directory, "users.yaml")

        let fixed = calendar.fixedHolidays.map {
            CalendarFile.Fixed(date: String(format: "%02d-%02d", $0.month, $0.day), name: $0.name, fromYear: $0.fromYear, toYear: $0.toYear)
        }
        let adjustments = calendar.adjustments.map { CalendarFile.Adjustment(date: $0.date.description, kind: $0.kind.rawValue, name: $0.name) }
        try write(CalendarFile(calendar: .init(fixedHolidays: fixed, adjustments: adjustments)), to: directory, "calendar.yaml")

        for module in services.modules {
            try await module.exportPack(to: directory.appendingPathComponent("modules/\(module.id)"), on: db)
        }
    }

    private func write(_ value: some Encodable, to directory: URL, _ name: String) throws {
        try PackFileWriter.write(value, to: directory.appendingPathComponent(name))
    }
}

// The file shapes, in the key order of docs/pack-format.md.
private struct PackFile: Encodable {
    struct BrandingOut: Encodable {
        var portalName: String
        var shortName: String
        var emblem: String?
        var primaryColor: String
        var secondaryColor: String
        init(_ b: Branding) {
            portalName = b.portalName
            shortName = b.shortName
            emblem = b.emblemName
            primaryColor = b.primaryColor
            secondaryColor = b.secondaryColor
        }
    }
    var locality: LocalitySettings
    var branding: BrandingOut
}

private struct UnitsFile: Encodable {
    struct Unit: Encodable {
        var code: String
        var type: String
        var name: String
        var shortName: String
        var children: [Unit]?
    }
    var units: [Unit]
}

private struct UsersFile: Encodable {
    struct Holding: Encodable { var unit: String; var position: String }
    struct User: Encodable {
        var username: String
        var fullName: String
        var email: String?
        var phone: String?
        var positions: [Holding]
    }
    var users: [User]
}

private struct CalendarFile: Encodable {
    struct Fixed: Encodable { var date: String; var name: String; var fromYear: Int?; var toYear: Int? }
    struct Adjustment: Encodable { var date: String; var kind: String; var name: String? }
    struct Body: Encodable { var fixedHolidays: [Fixed]; var adjustments: [Adjustment] }
    var calendar: Body
}
