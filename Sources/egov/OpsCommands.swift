import ArgumentParser
import EGovPlatform
import EGovServer
import Fluent
import Foundation

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Audit log tools.", subcommands: [Verify.self, Seal.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every seal and event; name the first altered or missing event.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let result = try await AppRunner.withApp(global.configuration()) { app in
                try await AuditLog.verify(on: app.db) { count in if count % 1000 == 0 { say("  \(count) seals…") } }
            }
            say("seals: \(result.sealsChecked) (time-stamped: \(result.timeStampedSeals)), sealed events: \(result.eventsChecked), not yet sealed: \(result.unsealedEvents)")
            guard let first = result.problems.first else {
                say("audit log intact")
                return
            }
            say("AUDIT LOG TAMPERED: \(first)")
            for problem in result.problems.dropFirst().prefix(20) { say("  also: \(problem)") }
            throw ExitCode(2)
        }
    }

    struct Seal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seal the events written so far (the server does this every second).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let sealed = try await AppRunner.withApp(global.configuration()) { app in
                var total = 0
                while true {
                    let count = try await AuditLog.seal(on: app.db, now: Date(), grace: 0)
                    total += count
                    if count == 0 { break }
                }
                try await app.egov.signatures.timeStampSeals(on: app.db)
                return total
            }
            say("sealed \(sealed) events")
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Back up the database, files and secret to one file.")
    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Option(help: "The backup file to write (.tar.gz).") var to: String

    func run() async throws {
        try await AppRunner.withApp(global.configuration()) { app in
            try await Backup.create(app: app, to: URL(fileURLWithPath: to)) { say("  \($0)") }
        }
        say("backup written to \(to) (it holds the installation secret: keep it private)")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Restore a backup (stop the server first).")
    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Argument(help: "The backup file.") var file: String
    @ArgumentParser.Flag(help: "Overwrite an existing database.") var force = false

    func run() async throws {
        let manifest = try Backup.restore(URL(fileURLWithPath: file), configuration: global.configuration(), force: force) { say("  \($0)") }
        say("restored a \(manifest.database) backup of \(manifest.createdAt)")
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Account tools.", subcommands: [ResetPassword.self])

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password",
                                                        abstract: "Give an account a new random password and unlock it.")
        @OptionGroup var global: GlobalOptions
        @ArgumentParser.Argument(help: "The username.") var username: String

        func run() async throws {
            let password = try await AppRunner.withApp(global.configuration()) { app -> String in
                guard let user = try await UserModel.query(on: app.db).filter(\.$username == username).first() else {
                    say("no user \(username)")
                    throw ExitCode(1)
                }
                let password = RandomPassword.make()
                // Ends the account's web sessions, refresh tokens and access tokens too.
                try await CredentialService(services: app.egov).setPassword(user, to: password, actorName: "cli", action: "user.reset-password",
                                                                           clientAddress: nil, on: app.db)
                return password
            }
            print("\(username) \(password)")
        }
    }
}

struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "openapi", abstract: "Print the OpenAPI 3.1 document of /api/v1.")

    func run() throws {
        FileHandle.standardOutput.write(try OpenAPIDocument.json(modules: BuiltInModules.all))
        print()
    }
}
