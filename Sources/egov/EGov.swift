import ArgumentParser
import EGovServer

@main
struct EGov: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "egov",
        abstract: "Open eGov: nền tảng chính quyền điện tử mở (open e-government platform).",
        discussion: "Every command takes --data-dir (default ./egov-data) and honours DATABASE_URL=postgres://… .",
        subcommands: [Serve.self, Migrate.self, ImportPack.self, ExportPack.self, Audit.self, PKICommand.self, BackupCommand.self, RestoreCommand.self,
                      UserCommand.self, OpenAPICommand.self, BenchDataCommand.self, BenchSignaturesCommand.self, DocumentsCommand.self]
    )

    static func main() async {
        ConcurrencyExecutor.install()
        await main(nil)
    }
}
