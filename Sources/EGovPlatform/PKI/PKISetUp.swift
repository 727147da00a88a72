import EGovCore
import Fluent
import Foundation

extension CertificateAuthority {
    /// What `setUp` made.
    public struct SetUp: Sendable {
        public let createdAuthority: Bool
        public let createdTimeStampAuthority: Bool
    }

    /// A locality's signing infrastructure, as `egov pki init` and the demo's first start make it: the CA (root and
    /// issuing, keys sealed under `passphrase`) unless it exists, then the TSA unless it exists. With an existing CA,
    /// a wrong passphrase unlocks nothing and says so.
    @discardableResult
    public static func setUp(passphrase: String, secrets: Secrets, at now: Date, on db: any Database) async throws -> SetUp {
        let locality = try await SettingsStore.get(LocalitySettings.self, for: .locality, on: db)?.name ?? "Open eGov"
        let createdAuthority = try await !exists(on: db)
        try await create(name: locality, passphrase: passphrase, at: now, on: db)
        let existing = try await TimeStampAuthority.certificatePEM(on: db) != nil
        let issuer = try await issuer(caPassphrase: passphrase, on: db)
        try await TimeStampAuthority.create(by: issuer, name: locality, secrets: secrets, at: now, on: db)
        return SetUp(createdAuthority: createdAuthority, createdTimeStampAuthority: !existing)
    }
}
