"""Analytics: the seed's performance metrics and the breakdowns behind them, as SQL aggregates.

Every figure is computed by the database (GROUP BY, SUM, COUNT, EXISTS) with the same numbers on
SQLite and PostgreSQL; only configuration (opening hours) is evaluated in Python.

Definitions (a *period* is an inclusive range of the restaurant's local dates; *bookings of the
period* are reservations whose service ``date`` lies in it, without walk-ins and without the old
half of a reschedule; timestamped rows count on the local day they happened, see ``period``):

- **Booking conversion rate**: bookings of the period whose status history reaches confirmed (or
  any later status: reminded, seated, dining, completed, no-show) over all bookings of the period.
- **No-show rate**: no-shows over bookings of the period whose attendance is known (seated,
  dining, completed or no-show).
- **Customer satisfaction score**: the mean of every 1–5 rating in the period, reservation ratings
  (by service date) and conversation satisfaction ratings (by the conversation's last message)
  pooled together.
- **Revenue per available seat hour**: bill totals of the period's arrived reservations over
  (seats of the active tables × hours the restaurant is open in the period, from its opening hours
  and special dates, measured in real elapsed time so a DST night counts 23 or 25 hours).
- **AI automation rate**: bookings of the period created by Sofia whose conversation was never
  handed to a person, over all bookings of the period.
- **Response time**: mean and 90th percentile (nearest rank) of Sofia's reply times
  (``messages.response_time`` of AI messages sent in the period).
- **Table utilisation**: occupied table-minutes of arrived reservations (from the real arrival,
  else the booked start, to the real departure, else the booked end; once per table a combined
  booking holds) over active tables × open minutes.

Revenue per seat hour and utilisation show "no data" when no guest arrived in the period. A
conversation counts as handed to a person when its handoff flag is set or a host wrote in it
(handing back to Sofia clears the flag, not the fact). Seats and tables are today's floor plan.
"""
