// The reference station screen (/screen?station=<code>) and department console (/screen/console?provider=<code>).
//
// It draws the board with one query, then keeps it current from the live feed, resuming after the
// last event it applied: a network drop or a server restart loses nothing. The websocket protocol
// (graphql-transport-ws) is the graphql-ws library's, loaded from /static/vendor/.
"use strict";

(() => {
  const consoleMode = location.pathname.replace(/\/$/, "").endsWith("/console");
  const wanted = new URLSearchParams(location.search).get(consoleMode ? "provider" : "station");
  const PAGE = 8; // rows a list shows; its total is shown beside its title
  const REDRAW_MS = 5 * 60 * 1000; // "overdue" and "due soon" move with the clock, not only with events
  // Orders owe nothing more once in these states: they leave the deadline lists.
  const SETTLED = new Set(["DELIVERED", "COMPLETED", "EVALUATED", "DECLINED", "CANCELLED"]);

  const ORDER = `fragment O on Order { id status urgency createdAt responseDueAt deliveryDueAt
    service { name } project { name } provider { name } station { name } }`;
  const LABELS = `labels(enums: [ORDER_STATUS, ORDER_ACTION, DEMAND_STATUS, MEETING_KIND]) {
    enum values { value label } }`;
  const LIST = `{ totalCount nodes { ...O } }`;
  const BOARD_QUERY = consoleMode
    ? `query Console { ${LABELS} board: providerBoard { day liveCursor owner: provider { id code name }
        todayByStatus { status label count }
        newOrders(first: ${PAGE}) ${LIST} overdue(first: ${PAGE}) ${LIST} dueToday(first: ${PAGE}) ${LIST} } } ${ORDER}`
    : `query Screen { ${LABELS} board: stationBoard { day liveCursor owner: station { id code name }
        todayByStatus { status label count }
        overdue(first: ${PAGE}) ${LIST} dueWithinHour(first: ${PAGE}) ${LIST}
        awaitingConfirmation(first: ${PAGE}) ${LIST} awaitingEvaluation(first: ${PAGE}) ${LIST}
        openDemands(first: 5) { totalCount nodes { id title status } }
        nextMeetings(first: 3) { totalCount nodes { id kind heldAt project { name } service { name } } } } } ${ORDER}`;
  const FEED = consoleMode
    ? `subscription Inbox($id: ID!, $after: String) { feed: providerInbox(providerId: $id, after: $after) {
        cursor action fromStatus toStatus order { ...O } } } ${ORDER}`
    : `subscription Feed($id: ID!, $after: String) { feed: stationFeed(stationId: $id, after: $after) {
        cursor action fromStatus toStatus order { ...O } } } ${ORDER}`;

  const HOUR = 3600 * 1000;
  const owes = (order) => !SETTLED.has(order.status);
  const dueAt = (order) => new Date(order.status === "SUBMITTED" ? order.responseDueAt : order.deliveryDueAt);
  // Each list: its title, which orders it holds, and which events bring an order onto it.
  const LISTS = consoleMode
    ? [
        { key: "newOrders", title: "新工单 · 待受理", holds: (o) => o.status === "SUBMITTED" },
        { key: "overdue", title: "已逾期", late: true, holds: owes, joins: (e) => e.action === "DEADLINE_PASSED" },
        { key: "dueToday", title: "今日到期", holds: owes, due: true },
      ]
    : [
        { key: "overdue", title: "已逾期", late: true, holds: owes, joins: (e) => e.action === "DEADLINE_PASSED" },
        {
          key: "dueWithinHour",
          title: "一小时内到期",
          holds: owes,
          due: true,
          joins: (e, o) => e.action === "DEADLINE_NEARING" && dueAt(o) - Date.now() < HOUR,
        },
        { key: "awaitingConfirmation", title: "待确认验收", holds: (o) => o.status === "DELIVERED" },
        { key: "awaitingEvaluation", title: "待评价", holds: (o) => o.status === "COMPLETED" },
      ];

  const $ = (id) => document.getElementById(id);
  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const localDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" });
  const clock = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" });
  const cursorPosition = (cursor) => Number(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")).split(":")[1]);

  // The token: from the address's fragment once (never sent to the server in a URL), then kept.
  const storeKey = `doorstep-screen-token:${location.pathname}`;
  let token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (token) {
    localStorage.setItem(storeKey, token);
    history.replaceState(null, "", location.pathname + location.search);
  } else {
    token = localStorage.getItem(storeKey);
  }

  const model = { labels: {}, board: null, lists: {}, counts: new Map(), todayStatus: new Map(), applied: 0 };
  let client = null;
  let subscription = null;
  let redrawTimer = null;

  function setState(state, text) {
    document.body.dataset.state = state;
    $("live-text").textContent =
      text || { live: "实时", reconnecting: "重新连接中…", starting: "连接中", refused: "令牌无效" }[state];
  }

  // Keyed by the enum's GraphQL type name, as `labels` answers it (`OrderStatus`).
  function label(enumName, value) {
    return (model.labels[enumName] || {})[value] || value;
  }

  function refuse(message) {
    setState("refused");
    if (client) client.dispose();
    client = null;
    subscription = null;
    $("problem").textContent = message;
    $("sign-in").hidden = false;
  }

  async function draw() {
    clearTimeout(redrawTimer);
    let body;
    try {
      const response = await fetch("/graphql", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Cache-Control": "no-cache" },
        body: JSON.stringify({ query: BOARD_QUERY }),
      });
      body = await response.json();
    } catch (error) {
      setState("reconnecting");
      redrawTimer = setTimeout(draw, 3000);
      return;
    }
    const code = body.errors && body.errors[0].extensions && body.errors[0].extensions.code;
    if (code === "UNAUTHENTICATED" || code === "FORBIDDEN" || code === "NOT_FOUND") {
      refuse(body.errors[0].message);
      return;
    }
    if (!body.data) {
      setState("reconnecting");
      redrawTimer = setTimeout(draw, 3000);
      return;
    }
    const board = body.data.board;
    if (wanted && board.owner.code !== wanted) {
      refuse(`此令牌属于 ${board.owner.name}（${board.owner.code}），不是 ${wanted}。`);
      return;
    }
    model.labels = {};
    for (const { enum: name, values } of body.data.labels) {
      model.labels[name] = Object.fromEntries(values.map((v) => [v.value, v.label]));
    }
    model.board = board;
    model.counts = new Map(board.todayByStatus.map((c) => [c.status, c]));
    model.todayStatus = new Map();
    for (const list of LISTS) model.lists[list.key] = { total: board[list.key].totalCount, nodes: board[list.key].nodes };
    $("sign-in").hidden = true;
    $("board").hidden = false;
    render();
    follow(board.owner.id, board.liveCursor);
    redrawTimer = setTimeout(draw, REDRAW_MS);
  }

  function follow(ownerId, liveCursor) {
    if (subscription) return; // already following: it resumes after the last event it applied
    model.applied = cursorPosition(liveCursor);
    client = graphqlWs.createClient({
      url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${token}` }),
      retryAttempts: Infinity,
      // 4403: the token was revoked (or refused); the library itself never retries 4401.
      shouldRetry: (closed) => !(closed && closed.code === 4403),
      retryWait: (retries) =>
        new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** retries, 15000) * (0.5 + Math.random() / 2))),
      keepAlive: 10000,
      on: {
        connected: () => setState("live"),
        closed: () => {
          if (document.body.dataset.state !== "refused") setState("reconnecting");
        },
      },
    });
    // graphql-ws sends this same object again each time it resubscribes after a reconnect, so the
    // cursor updated in place below makes every resubscription resume after the last event applied.
    const payload = { query: FEED, variables: { id: ownerId, after: liveCursor } };
    subscription = client.subscribe(payload, {
      next: ({ data, errors }) => {
        if (errors) {
          refuse(errors[0].message);
          return;
        }
        payload.variables.after = data.feed.cursor;
        apply(data.feed);
      },
      error: (error) => refuse((error && (error.reason || error.message || (error[0] && error[0].message))) || "已断开"),
      complete: () => {
        subscription = null;
      },
    });
  }

  function apply(event) {
    const position = cursorPosition(event.cursor);
    if (position <= model.applied) return; // on the board already: applying it again would change nothing
    model.applied = position;
    const order = event.order;
    if (!order) return;
    if (localDay.format(new Date(order.createdAt)) === model.board.day) {
      const before = model.todayStatus.get(order.id) || event.fromStatus;
      if (before !== order.status) {
        if (before && model.counts.has(before)) model.counts.get(before).count -= 1;
        if (model.counts.has(order.status)) model.counts.get(order.status).count += 1;
      }
      model.todayStatus.set(order.id, order.status);
    }
    for (const list of LISTS) {
      const shown = model.lists[list.key];
      const at = shown.nodes.findIndex((o) => o.id === order.id);
      if (at >= 0 && list.holds(order)) {
        shown.nodes[at] = { ...order, changed: true };
      } else if (at >= 0) {
        shown.nodes.splice(at, 1);
        shown.total -= 1;
      } else if (list.holds(order) && (list.joins ? list.joins(event, order) : true)) {
        shown.nodes.push({ ...order, changed: true });
        shown.total += 1;
      }
    }
    const when = clock.format(new Date());
    const what = order.service ? order.service.name : order.project ? order.project.name : "";
    const line = el(
      "li",
      { "data-order-id": order.id, "data-action": event.action, class: "changed" },
      el("span", { class: "when" }, when),
      el("span", { class: "what" }, `${label("OrderAction", event.action)} · ${what}`),
      el("span", { class: "status" }, label("OrderStatus", order.status)),
    );
    const events = $("events");
    events.prepend(line);
    while (events.children.length > PAGE) events.lastChild.remove();
    render();
  }

  function orderRow(order, list) {
    const what = order.service ? order.service.name : order.project ? order.project.name : "";
    const who = consoleMode ? order.station.name : order.provider.name;
    const time = list.due || list.late ? dueAt(order) : new Date(order.createdAt);
    const row = el(
      "li",
      { "data-order-id": order.id, "data-status": order.status },
      el("span", { class: "what" }, `${what} · ${who}`),
      el("span", { class: "when" }, moment(time)),
      el("span", { class: "status" }, label("OrderStatus", order.status)),
    );
    if (order.changed) {
      row.classList.add("changed");
      delete order.changed;
    }
    return row;
  }

  // A time of the board's day as 14:05, of another day as 11-20.
  function moment(time) {
    const day = localDay.format(time);
    return day === model.board.day ? clock.format(time) : day.slice(5);
  }

  function section(title, total, rows, attributes = {}) {
    const items = rows.length ? rows : [el("li", { class: "empty" }, "无")];
    return el("section", { class: "list", ...attributes }, el("h2", {}, title, el("span", { class: "total" }, String(total))), el("ul", {}, ...items));
  }

  function render() {
    const board = model.board;
    $("title").textContent = `${board.owner.name}${consoleMode ? " · 工单台" : ""}`;
    $("day").textContent = board.day;
    $("counts").replaceChildren(
      ...[...model.counts.values()].map((c) =>
        el(
          "div",
          { class: c.count ? "count" : "count zero", "data-status": c.status },
          el("div", { class: "n" }, String(c.count)),
          el("div", { class: "label" }, c.label),
        ),
      ),
    );
    const sections = LISTS.map((list) =>
      section(
        list.title,
        model.lists[list.key].total,
        model.lists[list.key].nodes.slice(0, PAGE).map((o) => orderRow(o, list)),
        { id: list.key, class: list.late ? "list late" : "list" },
      ),
    );
    if (!consoleMode) {
      const demands = board.openDemands;
      sections.push(
        section(
          "待解决需求",
          demands.totalCount,
          demands.nodes.map((d) =>
            el("li", {}, el("span", { class: "what" }, d.title), el("span", { class: "status" }, label("DemandStatus", d.status))),
          ),
          { id: "openDemands" },
        ),
      );
      const meetings = board.nextMeetings;
      sections.push(
        section(
          "近期会议",
          meetings.totalCount,
          meetings.nodes.map((m) =>
            el(
              "li",
              {},
              el("span", { class: "what" }, `${label("MeetingKind", m.kind)} · ${(m.project || m.service || { name: "" }).name}`),
              el("span", { class: "when" }, m.heldAt ? moment(new Date(m.heldAt)) : ""),
            ),
          ),
          { id: "nextMeetings" },
        ),
      );
    }
    $("lists").replaceChildren(...sections);
  }

  $("sign-in").addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    token = $("token").value.trim();
    localStorage.setItem(storeKey, token);
    setState("starting");
    draw();
  });

  if (token) {
    draw();
  } else {
    refuse("请输入大屏令牌（由服务站工作人员或管理员通过 issueScreenToken 签发）。");
  }
})();
