console.log("switchboard");
