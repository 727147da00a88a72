import EGovCore
import Fluent
import Foundation

/// The demo's signing set-up on first start: the locality CA with a generated passphrase (written to
/// `demo-ca-passphrase.txt`, 0600) and a signing certificate with a generated 6-digit PIN for each demo
/// officer. Demo mode only: a real installation creates its CA with its own passphrase.
enum DemoSigning {
    static let passphraseFile = "demo-ca-passphrase.txt"

    /// Returns each officer's signing PIN by username.
    static func setUp(_ credentials: [(username: String, unitCode: String, position: String, password: String)],
                      services: PlatformServices, on db: any Database) async throws -> [String: String] {
        let now = services.clock.now()
        let locality = try await SettingsStore.get(LocalitySettings.self, for: .locality, on: db)?.name ?? "Open eGov"
        let passphrase = RandomPassword.make() + RandomPassword.make()
        try await CertificateAuthority.create(name: locality, passphrase: passphrase, at: now, on: db)
        try PrivateFile.write(passphrase + "\n", to: services.configuration.dataDirectory.appendingPathComponent(passphraseFile))
        let units = Dictionary(try await UnitModel.query(on: db).all().map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
        let issuer = try await CertificateAuthority.issuer(caPassphrase: passphrase, on: db)
        var officers: [(user: UserModel, unit: String, pin: String)] = []
        for credential in credentials {
            guard let user = try await UserModel.query(on: db).filter(\.$username == credential.username).first(),
                  user.kind == UserModel.Kind.officer.rawValue else { continue }
            officers.append((user, units[credential.unitCode] ?? locality, String(format: "%06d", Int.random(in: 0...999_999))))
        }
        // Key generation and sealing are the slow part: on every core at once, then one insert each.
        let certificates = try await withThrowingTaskGroup(of: SigningCertificateModel.self) { group in
            for officer in officers {
                group.addTask { try CertificateAuthority.certificate(for: officer.user, unitName: officer.unit, pin: officer.pin, by: issuer, at: now) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for certificate in certificates { try await certificate.create(on: db) }
        let pins = Dictionary(officers.map { ($0.user.username, $0.pin) }, uniquingKeysWith: { first, _ in first })
        return pins
    }
}
