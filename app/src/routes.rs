//! Every page of the client, by its Czech URL.

use crate::dashboard::Dashboard;
use crate::help::PortalObcanaHelp;
use crate::layout::{Accessibility, NotFound, Shell};
use crate::login::Login;
use crate::payments::{ObligationPage, Payments};
use crate::profile::ProfilePage;
use crate::settings::Settings;
// Without `office` the same routes lead to stand-ins that load the page from the server.
#[cfg(feature = "office")]
use crate::kiosks::Kiosks;
#[cfg(not(feature = "office"))]
use crate::office_stub::{
    Kiosks, Staff, StaffArrears, StaffManualPayment, StaffPayer, StaffPayments, StaffStatements,
    StaffUnmatched, StaffYearlyRun,
};
#[cfg(feature = "office")]
use crate::staff::Staff;
#[cfg(feature = "office")]
use crate::staff_payments::{
    StaffArrears, StaffManualPayment, StaffPayer, StaffPayments, StaffStatements, StaffUnmatched,
    StaffYearlyRun,
};
use dioxus::prelude::*;

#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        /// "Přehled": one tile per module.
        #[route("/")]
        Dashboard {},
        /// `next` is where to go after logging in (a path of this app), or empty; `error` is the
        /// code of a failed identity-provider login (`cancelled`, `state`, `loa`…), or empty.
        #[route("/prihlaseni?:next&:error")]
        Login { next: String, error: String },
        #[route("/nastaveni")]
        Settings {},
        #[route("/profil", ProfilePage)]
        Profile {},
        /// "Platby": what the citizen owes; `platba` is a card payment's outcome
        /// (`ok`, `zamitnuto`, `zruseno`) when the gateway sends the citizen back, or empty.
        #[route("/platby?:platba")]
        Payments { platba: String },
        #[route("/platby/:id", ObligationPage)]
        Obligation { id: i64 },
        /// The back office's people (admins only).
        #[route("/sprava/pracovnici")]
        Staff {},
        #[route("/sprava/kiosky", Kiosks)] KioskAdmin {},
        /// The office's side of payments (officials for payments): an overview and one page
        /// per task; `ucet` is the portal account number of the payer shown, or empty.
        #[route("/sprava/platby")]
        StaffPayments {},
        #[route("/sprava/platby/vypisy")]
        StaffStatements {},
        #[route("/sprava/platby/nesparovane")]
        StaffUnmatched {},
        #[route("/sprava/platby/rucni-platba")]
        StaffManualPayment {},
        #[route("/sprava/platby/nedoplatky")]
        StaffArrears {},
        #[route("/sprava/platby/rocni-predpis")]
        StaffYearlyRun {},
        #[route("/sprava/platby/platce?:ucet")]
        StaffPayer { ucet: String },
        /// How to open the portal from the national Portál občana.
        #[route("/napoveda/portal-obcana", PortalObcanaHelp)]
        HelpPortalObcana {},
        /// Required by law (zákon č. 99/2019 Sb.) and linked from every page's footer.
        #[route("/prohlaseni-o-pristupnosti")]
        Accessibility {},
        #[route("/:..segments")]
        NotFound { segments: Vec<String> },
}

impl Route {
    /// A link to an office page: inside the app when this build has the office pages, else a
    /// plain `<a href>` (a full page load), so that the server hands over the office bundle.
    pub fn office_link(self) -> NavigationTarget<Route> {
        if cfg!(feature = "office") {
            NavigationTarget::Internal(self)
        } else {
            NavigationTarget::External(self.to_string())
        }
    }

    /// The login page that returns here afterwards.
    pub fn login_returning_to(current: &Route) -> Route {
        match current {
            Route::Login { .. } => current.clone(),
            Route::NotFound { .. } => Route::login(String::new()),
            other => Route::login(other.to_string()),
        }
    }

    /// The login page, with no error shown.
    pub fn login(next: String) -> Route {
        Route::Login {
            next,
            error: String::new(),
        }
    }

    /// Where a login page's `next` leads. Only paths of this app are followed, so a crafted
    /// link cannot send the user to another site after logging in.
    pub fn after_login(next: &str) -> Route {
        if !next.starts_with('/') || next.starts_with("//") {
            return Route::Dashboard {};
        }
        match next.parse::<Route>() {
            Ok(Route::Login { .. } | Route::NotFound { .. }) | Err(_) => Route::Dashboard {},
            Ok(route) => route,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_czech() {
        assert_eq!(Route::Dashboard {}.to_string(), "/");
        assert_eq!(Route::Settings {}.to_string(), "/nastaveni");
        assert_eq!(Route::Profile {}.to_string(), "/profil");
        assert_eq!(Route::StaffPayments {}.to_string(), "/sprava/platby");
        assert_eq!(
            Route::StaffPayer { ucet: "12".into() }.to_string(),
            "/sprava/platby/platce?ucet=12"
        );
    }

    #[test]
    fn login_remembers_where_the_user_was_going() {
        let login = Route::login_returning_to(&Route::Settings {});
        let url = login.to_string();
        assert!(url.starts_with("/prihlaseni?next="), "{url}");
        let Ok(Route::Login { next, .. }) = url.parse::<Route>() else {
            panic!("{url} does not parse back");
        };
        assert_eq!(Route::after_login(&next), Route::Settings {});
    }

    #[test]
    fn after_login_stays_inside_the_app() {
        assert_eq!(Route::after_login(""), Route::Dashboard {});
        assert_eq!(
            Route::after_login("https://evil.example"),
            Route::Dashboard {}
        );
        assert_eq!(Route::after_login("//evil.example"), Route::Dashboard {});
        assert_eq!(
            Route::after_login("/prihlaseni?next=/"),
            Route::Dashboard {}
        );
        assert_eq!(Route::after_login("/profil"), Route::Profile {});
    }

    #[test]
    fn unknown_paths_are_not_found() {
        assert!(matches!(
            "/neni-tu".parse::<Route>(),
            Ok(Route::NotFound { .. })
        ));
    }
}
