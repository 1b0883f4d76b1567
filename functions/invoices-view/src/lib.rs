//! Invoices with their lines, each line's VAT class and the tax breakdown:
//! the member's own, and a month's for billing staff (rules B1, B2, B8).

use domain::billing::amounts::Month;
use domain::billing::b1_invoices::{MyInvoice, MyInvoices, PeriodInvoices, PeriodPage, StaffInvoice};
use domain::kernel::engine::{serve, Cx};
use domain::kernel::http::{Request, Response};
use domain::kernel::problem::Problem;

domain::function!(handle, [
    ("GET", "/member/invoices") => |op| op
        .summary("The member's invoices, newest first: supply value, VAT, outside-VAT amounts, total, due day (B1)")
        .of(&MyInvoices)
        .reply::<domain::billing::b1_invoices::Invoices>(200),
    ("GET", "/member/invoices/{id}") => |op| op
        .summary("One of the member's invoices with every line and its VAT class (B1, B2, B8)")
        .of(&MyInvoice)
        .reply::<domain::billing::b1_invoices::InvoiceDetail>(200)
        .problems(&[404]),
    ("GET", "/admin/invoices") => |op| op
        .summary("A month's invoices by id, 500 a page (billing staff)")
        .of(&PeriodInvoices)
        .query("period", true, "the KST month, YYYY-MM")
        .query("after", false, "the `next_after` of the page before")
        .reply::<domain::billing::b1_invoices::Invoices>(200)
        .problems(&[422]),
    ("GET", "/admin/invoices/{id}") => |op| op
        .summary("Any invoice with its lines (billing staff)")
        .of(&StaffInvoice)
        .reply::<domain::billing::b1_invoices::InvoiceDetail>(200)
        .problems(&[404]),
]);
adapter_spin::component!(boxed, ROUTES, BODY_LIMIT);

pub async fn handle(req: &Request, cx: &Cx<'_>) -> Response {
    let staff = req.path.starts_with("/admin/");
    match (staff, req.param("id")) {
        (false, Some(id)) => {
            let id = id.to_owned();
            serve(&MyInvoice, req, cx, |_| Ok(id)).await
        }
        (false, None) => serve(&MyInvoices, req, cx, |_| Ok(())).await,
        (true, Some(id)) => {
            let id = id.to_owned();
            serve(&StaffInvoice, req, cx, |_| Ok(id)).await
        }
        (true, None) => serve(&PeriodInvoices, req, cx, period).await,
    }
}

fn period(req: &Request) -> Result<PeriodPage, Problem> {
    let period = req
        .query_param("period")
        .and_then(|p| Month::parse(&p))
        .map(Month::label)
        .ok_or_else(|| Problem::field("period", "field.invoice_period"))?;
    Ok(PeriodPage {
        period,
        after: req.query_param("after").unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b1_a_months_invoices_are_asked_for_by_its_kst_month() {
        let req = |q: &str| Request {
            query: q.into(),
            ..Default::default()
        };
        let got = period(&req("period=2027-01&after=inv_1")).unwrap();
        assert_eq!((got.period.as_str(), got.after.as_str()), ("2027-01", "inv_1"));
        for bad in ["", "period=2027-1", "period=2027-13", "period=27-01"] {
            assert_eq!(period(&req(bad)).unwrap_err().errors[0].pointer, "#/period", "{bad}");
        }
    }
}
