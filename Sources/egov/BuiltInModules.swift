import EGovPlatform
import Documents
import PublicServices

/// The modules this build of Open eGov ships, in the order their migrations and menus come. The server
/// (`EGovServer`) knows no module: it serves the ones named here.
enum BuiltInModules {
    static var all: [any EGovModule] { [PublicServicesModule(), DocumentsModule()] }
}
