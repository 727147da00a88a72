@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// Public pages without signing in: tracking a dossier by its code, and the gateway's return page.
struct TrackingPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(OneStopRoute.tracking(code: nil).pattern, use: tracking)
        routes.get(OneStopRoute.paymentReturn.pattern, use: paymentReturn)
    }

    func tracking(_ req: Request) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let code = req.query[String.self, at: "code"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var result: Node<HTML.BodyContext> = .empty
        var status = HTTPResponseStatus.ok
        if !code.isEmpty {
            if let dossier = try await DossierModel.query(on: req.db).filter(\.$code == code).first() {
                let definition = try await CatalogueStore.process(dossier.processID, on: req.db)
                let now = req.egov.clock.now()
                let calendar = try await req.egov.calendars.calendar(on: req.db, now: now)
                // Status, step and dates only: nothing personal is shown to whoever knows a code.
                result = .section(.id("tracking-result"), OneStopViews.facts([
                    (ctx.t(OneStopText.dossierCode), .code(.text(dossier.code))),
                    (ctx.t(OneStopText.procedure), .text(dossier.procedureName)),
                    (ctx.t(OneStopText.status), .strong(.id("tracking-status"), .attribute(named: "data-status", value: Esc.attr(dossier.status)),
                                                        .text(OneStopViews.statusName(ctx, dossier.status)))),
                    (ctx.t(OneStopText.currentStep), .text(definition?.step(dossier.stepID)?.name ?? dossier.stepID)),
                    (ctx.t(OneStopText.receivedAt), .text(OneStopViews.date(dossier.receivedAt))),
                    (ctx.t(OneStopText.dueAt), .text(OneStopViews.date(dossier.dueAt))),
                    (ctx.t(OneStopText.finishedAt), .text(OneStopViews.date(dossier.finishedAt))),
                    (ctx.t(OneStopText.onTime), OneStopViews.badge(ctx, deadline: dossier.deadlineStatus(at: now, calendar: calendar).rawValue)),
                ]))
            } else {
                status = .notFound
                result = .div(.class("error-summary"), .attribute(named: "role", value: "alert"),
                              .p(.text(ctx.t(LocalizedText(vi: "Không tìm thấy hồ sơ mã “\(code)”.", en: "No dossier with code “\(code)”.")))))
            }
        }
        return Layout.page(ctx, title: ctx.t(OneStopText.tracking), crumbs: OneStopViews.crumbs(ctx, [], last: ctx.t(OneStopText.tracking)),
                           status: status, content: .group(
            .form(.method(.get), .action(Esc.attr(OneStopRoute.tracking(code: nil).path)), .class("filters"),
                  Layout.field(ctx, name: "code", label: OneStopText.dossierCode, value: code, hint: OneStopText.trackingHint),
                  .button(.type(.submit), .text(ctx.t(OneStopText.lookUp)))),
            result))
    }

    func paymentReturn(_ req: Request) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let outcome = try await PaymentsAPI.outcome((try? req.query.decode([String: String].self)) ?? [:], services: req.egov, on: req.db)
        let message: LocalizedText = !outcome.valid
            ? LocalizedText(vi: "Kết quả thanh toán không hợp lệ (sai chữ ký).", en: "The payment result is not valid (bad signature).")
            : outcome.paid ? LocalizedText(vi: "Thanh toán thành công.", en: "Payment successful.")
            : LocalizedText(vi: "Giao dịch chưa thành công; hồ sơ chưa được ghi nhận đã nộp phí.", en: "The payment did not go through.")
        return Layout.page(ctx, title: ctx.t(LocalizedText(vi: "Kết quả thanh toán", en: "Payment result")),
                           status: outcome.valid ? .ok : .badRequest, content: .group(
            .p(.id("payment-result"), .attribute(named: "data-paid", value: Esc.attr(outcome.paid ? "true" : "false")), .text(ctx.t(message))),
            .unwrap(outcome.dossierCode) { code in
                .p(.a(.class("button"), .href(Esc.attr(OneStopRoute.dossier(code: code).path)), .text("\(ctx.t(OneStopText.dossier)) \(code)")))
            }))
    }
}
