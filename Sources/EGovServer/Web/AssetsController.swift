import EGovPlatform
import EGovWeb
import Vapor

/// The stylesheet and the locality's emblem.
struct AssetsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteRoute.asset("").pattern, use: asset)
    }

    func asset(_ req: Request) async throws -> Response {
        switch req.parameters.get("name") {
        case "site.css":
            return Response(status: .ok, headers: ["Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600"],
                            body: .init(string: Stylesheet.css))
        case "brand.css":
            let branding = try await SettingsStore.get(Branding.self, for: .branding, on: req.db) ?? Branding.fallback
            return Response(status: .ok, headers: ["Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=300"],
                            body: .init(string: BrandStylesheet.css(primary: branding.primaryColor, secondary: branding.secondaryColor)))
        case "site.js":
            return Response(status: .ok, headers: ["Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=3600"],
                            body: .init(string: SiteScript.js))
        case "emblem":
            guard let branding = try await SettingsStore.get(Branding.self, for: .branding, on: req.db),
                  let sha = branding.emblemSHA256, let data = try? req.egov.files.read(sha256: sha) else { throw Abort(.notFound) }
            return Response(status: .ok, headers: ["Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=3600"],
                            body: .init(data: data))
        default:
            throw Abort(.notFound)
        }
    }
}
