import EGovCore
import Fluent
import Foundation

extension CaseRuntime {
    /// The officer named to take the next step: someone holding that step's position at its unit (or below it).
    public func checkAssignee(_ username: String?, for action: ProcessDefinition.Action, record: Record,
                              definition: ProcessDefinition, on db: any Database) async throws -> UserModel? {
        guard let username = username?.trimmingCharacters(in: .whitespaces), !username.isEmpty else { return nil }
        let target = ProcessEngine.target(of: action, from: try record.caseState())
        guard let holder = definition.step(target)?.holder, !holder.applicant, let position = holder.position else {
            throw EGovError.validation([ValidationError(field: "assignee", vi: "Bước tiếp theo không giao cho cán bộ nên không chọn được người xử lý.",
                                                        en: "The next step is not held by an officer, so nobody can be assigned.")])
        }
        let unitPath = record.caseUnits.path(for: holder.unit)
        guard let user = try await UserModel.query(on: db).filter(\.$username == username).first(), user.isActive,
              let principal = try await PrincipalLoader.load(try user.requireID(), catalog: services.permissions, on: db),
              CasePolicy.holds(principal, position, atOrBelow: unitPath)
        else {
            let unitCode = record.caseUnits.code(for: holder.unit)
            throw EGovError.validation([ValidationError(
                field: "assignee",
                vi: "“\(username)” không phải \(position.label.vi.lowercased()) của \(unitCode) nên không thể nhận bước này.",
                en: "“\(username)” is not a \(position.label.en.lowercased()) of \(unitCode) and cannot take this step.")])
        }
        return user
    }
}

extension CaseHolders {
    /// Active officers holding `position` at the unit of `path` or below it: whom "hand to" offers.
    public static func officers(holding position: Position, within path: String, on db: any Database) async throws -> [UserModel] {
        let ids = try await UserPositionModel.query(on: db)
            .join(UnitModel.self, on: \UserPositionModel.$unit.$id == \UnitModel.$id)
            .filter(\.$position == position.rawValue)
            .filter(UnitModel.self, \.$path =~ path)
            .all().map { $0.$user.id }
        guard !ids.isEmpty else { return [] }
        return try await UserModel.query(on: db).filter(\.$id ~~ ids).filter(\.$isActive == true).sort(\.$fullName).all()
    }
}

extension WorkflowError {
    /// The HTTP problem for each reason: 403 not yours to take, 409 not now, 400 missing reason, 404 no
    /// such action. `noun` names the case ("hồ sơ"); `unmet` words a module's preconditions.
    public func problem(noun: LocalizedText, unmet: (String) -> LocalizedText? = { _ in nil }) -> EGovError {
        switch self {
        case .unknownAction(let id):
            .notFound(LocalizedText(vi: "Không có thao tác “\(id)” trong quy trình của \(noun.vi) này.", en: "No action “\(id)” in this \(noun.en)'s process."))
        case .notAllowed(let id):
            .forbiddenBecause(LocalizedText(vi: "Bạn không được thực hiện thao tác “\(id)” trên \(noun.vi) này.",
                                            en: "You may not take the action “\(id)” on this \(noun.en)."))
        case .notInThisState(let id, let step):
            .conflict(ValidationError(field: "action", vi: "Không thể thực hiện “\(id)” khi \(noun.vi) đang ở bước “\(step)”.",
                                      en: "“\(id)” cannot be taken while the \(noun.en) is at step “\(step)”."))
        case .preconditionFailed(let condition):
            .conflict(ValidationError(field: "action", vi: unmet(condition)?.vi ?? "Chưa đủ điều kiện: \(condition).",
                                      en: unmet(condition)?.en ?? "Condition not met: \(condition)."))
        case .noteRequired:
            .validation([ValidationError(field: "note", vi: "Vui lòng ghi rõ lý do hoặc nội dung.", en: "Please give the reason or details.")])
        }
    }
}
