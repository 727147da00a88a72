import EGovCore
import Fluent
import Foundation

/// The demo's signing set-up on first start: the locality CA with a generated passphrase (written to
/// `demo-ca-passphrase.txt`, 0600) and its time-stamping authority, a signing certificate with a generated 6-digit PIN for each demo
/// officer, and a seal certificate (with its own PIN) for each unit those officers work in. Demo mode only:
/// a real installation creates its CA with its own passphrase.
enum DemoSigning {
    static let passphraseFile = "demo-ca-passphrase.txt"
    /// How `demo-users.txt` names a unit's seal: `seal.` and the unit's code.
    static let sealPrefix = "seal."

    /// A demo signing PIN: six random digits.

    /// Each officer's signing PIN by username, and each unit's seal PIN by unit code.
    struct PINs {
        let officers: [String: String]
        let seals: [String: String]
    }

    static func setUp(_ credentials: [(username: String, unitCode: String, position: String, password: String)],
                      services: PlatformServices, on db: any Database) async throws -> PINs {
        let now = services.clock.now()
        let locality = try await SettingsStore.get(LocalitySettings.self, for: .locality, on: db)?.name ?? "Open eGov"
        let passphrase = RandomPassword.make() + RandomPassword.make()
        try await CertificateAuthority.setUp(passphrase: passphrase, secrets: services.secrets, at: now, on: db)
        try PrivateFile.write(passphrase + "\n", to: services.configuration.dataDirectory.appendingPathComponent(passphraseFile))
        let unitModels = try await UnitModel.query(on: db).all()
        let units = Dictionary(unitModels.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let issuer = try await CertificateAuthority.issuer(caPassphrase: passphrase, on: db)
        var officers: [(user: UserModel, unit: String, pin: String)] = []
        for credential in credentials {
            guard let user = try await UserModel.query(on: db).filter(\.$username == credential.username).first(),
                  user.kind == UserModel.Kind.officer.rawValue else { continue }
            officers.append((user, units[credential.unitCode] ?? locality, SigningKeys.generatedPIN()))
        }
        let sealCodes = Set(credentials.map(\.unitCode))
        let seals = unitModels.filter { sealCodes.contains($0.code) }.map { ($0, SigningKeys.generatedPIN()) }
        // Key generation and sealing are the slow part: on every core at once, then one insert each.
        let certificates = try await withThrowingTaskGroup(of: SigningCertificateModel.self) { group in
            for officer in officers {
                group.addTask { try CertificateAuthority.certificate(for: .officer(officer.user), unitName: officer.unit, pin: officer.pin, by: issuer, at: now) }
            }
            for (unit, pin) in seals {
                group.addTask { try CertificateAuthority.certificate(for: .seal(unit), unitName: unit.name, pin: pin, by: issuer, at: now) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for certificate in certificates { try await certificate.create(on: db) }
        return PINs(officers: Dictionary(officers.map { ($0.user.username, $0.pin) }, uniquingKeysWith: { first, _ in first }),
                    seals: Dictionary(seals.map { ($0.0.code, $0.1) }, uniquingKeysWith: { first, _ in first }))
    }
}
