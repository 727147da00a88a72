import ArgumentParser
import EGovCore
import EGovPlatform
import Foundation

/// `egov pki init`: the locality's certificate authority and time-stamping authority for a real installation
/// (the demo makes its own on first start).
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pki", abstract: "The locality's signing infrastructure.",
                                                    subcommands: [Init.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the locality CA (root and issuing, RSA-2048) and its RFC 3161 time-stamping authority, each once.",
            discussion: """
                The CA passphrase seals the CA keys; it is needed to issue and revoke certificates, and is read from a \
                file (or EGOV_CA_PASSPHRASE), never from the command line. With an existing CA, it creates only what \
                is missing (the time-stamping authority of an installation from before it existed) and needs the same \
                passphrase.
                """)
        @OptionGroup var global: GlobalOptions
        @ArgumentParser.Option(help: "A file whose first line is the CA passphrase (at least 16 characters).")
        var passphraseFile: String?

        func run() async throws {
            let passphrase: String
            if let passphraseFile {
                let text = try String(contentsOf: URL(fileURLWithPath: passphraseFile), encoding: .utf8)
                passphrase = String(text.split(whereSeparator: \.isNewline).first ?? "")
            } else {
                passphrase = ProcessInfo.processInfo.environment["EGOV_CA_PASSPHRASE"] ?? ""
            }
            guard passphrase.count >= 16 else {
                say("the CA passphrase must have at least 16 characters (--passphrase-file FILE or EGOV_CA_PASSPHRASE)")
                throw ExitCode(1)
            }
            let made: CertificateAuthority.SetUp
            do {
                made = try await AppRunner.withApp(global.configuration()) { app in
                    say("setting up (new RSA-2048 keys take a few seconds)…")
                    return try await CertificateAuthority.setUp(passphrase: passphrase, secrets: app.egov.secrets, at: Date(), on: app.db)
                }
            } catch let error as EGovError {
                say(error.detail.en)
                throw ExitCode(1)
            }
            say(made.createdAuthority ? "certificate authority created" : "certificate authority already present")
            say(made.createdTimeStampAuthority ? "time-stamping authority created" : "time-stamping authority already present")
        }
    }
}
