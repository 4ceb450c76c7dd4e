//! `litres order`: `add` puts orders into the embedded database, so the
//! sale flow can be tried without a shop; `show` reads an order from any
//! store.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use litres_core::store::{CartStore, NotificationState, Order, OrderLine};
use litres_core::{ArtId, ExternalId, OrderId, Price, ProductId};
use litres_cscart::SqliteStore;
use serde::Serialize;

use super::config::{self, StoreChoice};
use super::{output, CliError, CommonArgs};

#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Add an order to the embedded database, as a shop's checkout would.
    Add(AddArgs),
    /// Print an order with the sale state of each line.
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Order id.
    #[arg(long, value_name = "N")]
    order: u64,
    /// Buyer id, sent to LitRes and put into download links.
    #[arg(long, value_name = "ID")]
    user: String,
    /// Buyer e-mail address.
    #[arg(long, value_name = "ADDRESS")]
    email: String,
    /// Order status code, such as P (processed) or O (open).
    #[arg(long, value_name = "CODE", default_value = "P")]
    status: String,
    /// A LitRes book: art id, external id and price in RUB, such as
    /// 70000009:df0f6012-d87e-4224-b733-d35ed535e0b3:109.00. Repeat for
    /// more books.
    #[arg(
        long = "line",
        value_name = "ART_ID:EXTERNAL_ID:PRICE",
        required = true
    )]
    lines: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Order id.
    #[arg(long, value_name = "N")]
    order: u64,
}

pub fn run(command: &OrderCommand) -> Result<ExitCode, CliError> {
    match command {
        OrderCommand::Add(args) => add(args),
        OrderCommand::Show(args) => show(args),
    }
}

/// Opens the embedded database for `order add`. A CS-Cart shop takes its
/// orders at checkout, so the tool adds none there.
fn open_sqlite_orders(choice: &StoreChoice) -> Result<SqliteStore, CliError> {
    match choice {
        StoreChoice::Sqlite { path } => {
            SqliteStore::open(path).map_err(|error| CliError::Usage(error.to_string()))
        }
        StoreChoice::CsCart { .. } => Err(CliError::Usage(
            "litres order add works only with [store] kind = \"sqlite\": a CS-Cart shop \
             takes its orders at checkout, so place the order in the shop and run \
             litres notify --order N with its order id"
                .to_owned(),
        )),
    }
}

/// Checks the buyer fields before anything is stored, because a bad value
/// would only fail later, when the sale is sent or the link is built.
fn check_buyer(args: &AddArgs) -> Result<(), CliError> {
    let user = args.user.trim();
    let user_ok = !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !user_ok {
        return Err(CliError::Usage(format!(
            "--user {:?} is not a buyer id: use letters, digits, '-' or '_', as it goes into \
             download links",
            args.user
        )));
    }
    let email = args.email.trim();
    if !email.contains('@') || email.contains(char::is_whitespace) {
        return Err(CliError::Usage(format!(
            "--email {:?} is not an e-mail address",
            args.email
        )));
    }
    if args.status.trim().is_empty() {
        return Err(CliError::Usage(
            "--status is empty: give an order status code such as P".to_owned(),
        ));
    }
    Ok(())
}

fn add(args: &AddArgs) -> Result<ExitCode, CliError> {
    check_buyer(args)?;
    let config = config::load(args.common.config.as_deref())?;
    let store = open_sqlite_orders(&config.store)?;
    super::runtime()?.block_on(async {
        let mut lines: Vec<OrderLine> = Vec::with_capacity(args.lines.len());
        for text in &args.lines {
            let line = parse_line(&store, text).await?;
            if lines
                .iter()
                .any(|known| known.product_id == line.product_id)
            {
                return Err(CliError::Usage(format!(
                    "--line {text:?} repeats a book of this order: give each book once"
                )));
            }
            lines.push(line);
        }
        let order = Order::new(
            OrderId(args.order),
            args.status.trim(),
            args.user.trim(),
            args.email.trim(),
            lines,
        );
        store.insert_order(&order).map_err(|error| {
            CliError::Failed(format!("order {} was not added: {error}", args.order))
        })?;
        if args.common.json {
            output::print_json(&order)?;
        } else {
            println!("order {} added with status {}", order.id, order.status);
            for line in &order.lines {
                let art = line.art_id.map(|id| id.to_string()).unwrap_or_default();
                println!(
                    "  product {} (art id {art}) at {}",
                    line.product_id, line.price
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Parses `ART_ID:EXTERNAL_ID:PRICE` for a book that was imported: the
/// line's product is that book's product, and the external id must be the
/// one stored with it, so a link can never point at another book.
async fn parse_line(store: &SqliteStore, text: &str) -> Result<OrderLine, CliError> {
    let usage = |why: &str| {
        CliError::Usage(format!(
            "--line {text:?} {why}: use ART_ID:EXTERNAL_ID:PRICE, such as \
             70000009:df0f6012-d87e-4224-b733-d35ed535e0b3:109.00"
        ))
    };
    let mut parts = text.splitn(3, ':');
    let (Some(art), Some(external), Some(price)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(usage("has fewer than three parts"));
    };
    let art_id: ArtId = art
        .parse()
        .map_err(|_| usage("has an art id that is not a number"))?;
    let price: Price = price.parse().map_err(|_| usage("has an invalid price"))?;
    if external.trim().is_empty() {
        return Err(usage("has an empty external id"));
    }
    let not_imported = || {
        CliError::Usage(format!(
            "--line {text:?}: art id {art_id} is not in the database; import it first with \
             litres books"
        ))
    };
    let product = store
        .find_product(art_id)
        .await
        .map_err(|error| CliError::Failed(error.to_string()))?
        .ok_or_else(not_imported)?;
    let stored = store
        .product_external_id(art_id)
        .map_err(|error| CliError::Failed(error.to_string()))?
        .ok_or_else(not_imported)?;
    let external = ExternalId::new(external.trim());
    if external.to_lowercase() != stored.to_lowercase() {
        return Err(CliError::Usage(format!(
            "--line {text:?}: art id {art_id} has external id {stored}, not {external}; \
             check the line"
        )));
    }
    Ok(OrderLine::new(
        product.id,
        Some(art_id),
        Some(stored),
        price,
    ))
}

/// An order with the sale state of each line, as `order show` prints it.
#[derive(Debug, Serialize)]
struct OrderView {
    order: Order,
    states: Vec<LineState>,
}

#[derive(Debug, Serialize)]
struct LineState {
    product_id: ProductId,
    /// The saved state, its fields beside the product id; none when the
    /// line was never reported.
    #[serde(flatten)]
    state: Option<NotificationState>,
}

fn show(args: &ShowArgs) -> Result<ExitCode, CliError> {
    let config = config::load(args.common.config.as_deref())?;
    super::runtime()?.block_on(async {
        let store = super::store::open_orders(&config.store, &config.settings).await?;
        let failed = |error: litres_core::store::StoreError| CliError::Failed(error.to_string());
        let order = store
            .load_order(OrderId(args.order))
            .await
            .map_err(failed)?
            .ok_or_else(|| {
                CliError::Usage(format!("order {} not found in the store", args.order))
            })?;
        let mut states = Vec::with_capacity(order.lines.len());
        for line in &order.lines {
            let state = store
                .load_notification(order.id, line.product_id)
                .await
                .map_err(failed)?;
            states.push(LineState {
                product_id: line.product_id,
                state,
            });
        }
        let view = OrderView { order, states };
        if args.common.json {
            output::print_json(&view)?;
        } else {
            print_view(&view);
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn print_view(view: &OrderView) {
    let order = &view.order;
    let reason = order.status_reason.as_deref().unwrap_or("none recorded");
    println!(
        "order {}: status {} (reason: {reason})",
        order.id, order.status
    );
    for line in &view.states {
        let state = line
            .state
            .as_ref()
            .map_or("not reported", NotificationState::name);
        println!("  product {}: {state}", line.product_id);
    }
}
