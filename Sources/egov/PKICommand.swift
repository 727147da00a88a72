import ArgumentParser
import EGovCore
import EGovPlatform
import Foundation
import Vapor

/// `egov pki init`: the locality's certificate authority and time-stamping authority for a real installation
/// (the demo makes its own on first start). `egov pki csr` and `egov pki import-chain`: the issuing CA made
/// subordinate to an outside CA, such as the Government's specialised CA.
struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pki", abstract: "The locality's signing infrastructure.",
                                                    subcommands: [Init.self, SigningRequest.self, ImportChain.self])

    /// The CA passphrase from the first line of `file`, or EGOV_CA_PASSPHRASE: never from the command line.
    static func passphrase(file: String?) throws -> String {
        if let file {
            let text = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8)
            return String(text.split(whereSeparator: \.isNewline).first ?? "")
        }
        return ProcessInfo.processInfo.environment["EGOV_CA_PASSPHRASE"] ?? ""
    }

    /// Runs `body` with the installation's app, saying a platform error's English text and exiting 1 on it.
    static func withApp<T>(_ global: GlobalOptions, _ body: @escaping (Application) async throws -> T) async throws -> T {
        do {
            return try await AppRunner.withApp(global.configuration(), body)
        } catch let error as EGovError {
            say(error.detail.en)
            throw ExitCode(1)
        }
    }

    struct SigningRequest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csr",
            abstract: "Print the issuing CA's certificate signing request (PKCS #10, PEM), for an outside CA to sign.",
            discussion: """
                Send it to the outside CA (for instance the Government's specialised CA). It must sign it as a CA \
                certificate (CA:TRUE, keyCertSign, cRLSign) under the same name; then run "egov pki import-chain" with \
                its answer. Needs the CA passphrase.
                """)
        @OptionGroup var global: GlobalOptions
        @ArgumentParser.Option(help: "A file whose first line is the CA passphrase.")
        var passphraseFile: String?

        func run() async throws {
            let passphrase = try PKICommand.passphrase(file: passphraseFile)
            print(try await PKICommand.withApp(global) { app in
                try await CertificateAuthority.signingRequest(caPassphrase: passphrase, on: app.db)
            }, terminator: "")
        }
    }

    struct ImportChain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-chain",
            abstract: "Make the issuing CA subordinate to an outside CA: import its certificate for the issuing CA, and its root.",
            discussion: """
                CHAIN is a PEM file with the issuing CA's certificate as the outside CA signed it, then that CA's root. \
                Both are checked (the issuing CA's key and name, the root's signature, the dates) before anything \
                changes. Certificates already issued keep working: they chain to the outside root from then on. \
                Needs the CA passphrase.
                """)
        @OptionGroup var global: GlobalOptions
        @ArgumentParser.Option(help: "A file whose first line is the CA passphrase.")
        var passphraseFile: String?
        @ArgumentParser.Argument(help: "The PEM file: the issuing CA's new certificate, then the outside root.")
        var chain: String

        func run() async throws {
            let passphrase = try PKICommand.passphrase(file: passphraseFile)
            let pem = try String(contentsOf: URL(fileURLWithPath: chain), encoding: .utf8)
            try await PKICommand.withApp(global) { app in
                try await CertificateAuthority.importChain(pem: pem, caPassphrase: passphrase, at: Date(), on: app.db)
                try await AuditLog.record(AuditEntry(actorID: nil, actorName: "egov pki import-chain", unitCode: nil, action: "pki.import-chain",
                                                     target: "ca", summary: "chain imported"), at: Date(), on: app.db)
            }
            say("the issuing CA now chains to the outside root; GET /api/v1/pki/ca.pem serves the new chain")
        }
    }

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
            let passphrase = try PKICommand.passphrase(file: passphraseFile)
            guard passphrase.count >= 16 else {
                say("the CA passphrase must have at least 16 characters (--passphrase-file FILE or EGOV_CA_PASSPHRASE)")
                throw ExitCode(1)
            }
            let made = try await PKICommand.withApp(global) { app in
                say("setting up (new RSA-2048 keys take a few seconds)…")
                return try await CertificateAuthority.setUp(passphrase: passphrase, secrets: app.egov.secrets, at: Date(), on: app.db)
            }
            say(made.createdAuthority ? "certificate authority created" : "certificate authority already present")
            say(made.createdTimeStampAuthority ? "time-stamping authority created" : "time-stamping authority already present")
        }
    }
}
