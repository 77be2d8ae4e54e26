"""The client side: `tensorseed pull` downloads a recipe's file from servers, resumably."""
