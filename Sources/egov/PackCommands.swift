import ArgumentParser
import EGovPlatform
import EGovServer
import Foundation

struct ImportPack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-pack",
                                                    abstract: "Load a locality pack (idempotent, all or nothing).")

    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Argument(help: "The pack folder.") var directory: String

    func run() async throws {
        let pack: PackContents
        do {
            pack = try PackReader.read(URL(fileURLWithPath: directory))
        } catch {
            say("Gói không hợp lệ, không có gì được ghi / invalid pack, nothing written:")
            say("  \(error.location): \(error.message.vi)")
            say("  \(error.location): \(error.message.en)")
            throw ExitCode(65)
        }
        try await AppRunner.withApp(global.configuration()) { app in
            let result = try await PackImporter(services: app.egov).importPack(pack, on: app.db) { say("  \($0)") }
            say("imported \(pack.locality.name): units +\(result.unitsCreated) ~\(result.unitsUpdated), users +\(result.usersCreated) ~\(result.usersUpdated)")
            for credential in result.newCredentials {
                print("\(credential.username) \(credential.unitCode) \(credential.position) \(credential.password)")
            }
            let outcome = try await InstallationSetup(services: app.egov).run(on: app.db, logger: app.logger)
            if let password = outcome.adminPassword { say("administrator login: admin / \(password)") }
        }
    }
}

struct ExportPack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export-pack", abstract: "Write the database's locality data as a pack.")

    @OptionGroup var global: GlobalOptions
    @ArgumentParser.Argument(help: "The folder to write.") var directory: String

    func run() async throws {
        try await AppRunner.withApp(global.configuration()) { app in
            try await PackExporter(services: app.egov).export(to: URL(fileURLWithPath: directory), on: app.db)
            say("pack written to \(directory)")
        }
    }
}
